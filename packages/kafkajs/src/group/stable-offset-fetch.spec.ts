import { describe, expect, it } from 'vitest';
import { WireWriter } from '../protocol/wire.js';
import type { RawBroker } from '../kafkajs-internals.js';
import { fetchStableOffsets, supportsStableOffsetFetch } from './stable-offset-fetch.js';

interface Answer {
  readonly groupError?: number;
  readonly partitions: ReadonlyArray<{ partition: number; offset: number; error: number }>;
}

/** An OffsetFetch v7 response body for topic 'in'. */
function responseBody({ groupError = 0, partitions }: Answer): Buffer {
  const writer = new WireWriter().tags().int32(0);
  writer.compactArray([partitions], (list) => {
    writer.compactString('in');
    writer.compactArray(list, ({ partition, offset, error }) => {
      writer.int32(partition).int64(offset).int32(-1).compactNullableString(null).int16(error).tags();
    });
    writer.tags();
  });
  return writer.int16(groupError).tags().build();
}

/** A kafkajs broker whose connection answers `answers` in turn (the last one again), recording the requests. */
function fakeBroker(answers: readonly Answer[], maxVersion = 10): { broker: RawBroker; sent: Array<{ apiVersion: number; body: Buffer }> } {
  const sent: Array<{ apiVersion: number; body: Buffer }> = [];
  const broker = {
    versions: { 9: { minVersion: 1, maxVersion } },
    connectionPool: {
      async send({ request, response }: { request: { apiVersion: number; encode: () => Promise<{ buffer: Buffer }> }; response: { decode: (b: Buffer) => Promise<unknown> } }) {
        sent.push({ apiVersion: request.apiVersion, body: (await request.encode()).buffer });
        const answer = answers[Math.min(sent.length - 1, answers.length - 1)] as Answer;
        return response.decode(responseBody(answer));
      },
    },
    disconnect: () => Promise.resolve(),
  };
  return { broker: broker as unknown as RawBroker, sent };
}

const partitions = new Map([['in', [0, 1]]]);

describe('fetchStableOffsets', () => {
  it('needs OffsetFetch v7', () => {
    expect(supportsStableOffsetFetch(fakeBroker([], 10).broker)).toBe(true);
    expect(supportsStableOffsetFetch(fakeBroker([], 7).broker)).toBe(true);
    expect(supportsStableOffsetFetch(fakeBroker([], 6).broker)).toBe(false);
  });

  it('sends v7 with require_stable and answers the committed offsets, leaving out partitions without a commit', async () => {
    const { broker, sent } = fakeBroker([{ partitions: [{ partition: 0, offset: 12, error: 0 }, { partition: 1, offset: -1, error: 0 }] }]);
    expect(await fetchStableOffsets(broker, 'g', partitions)).toEqual([{ topic: 'in', partition: 0, offset: 12 }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.apiVersion).toBe(7);
    expect(sent[0]?.body.subarray(-2).toString('hex')).toBe('0100'); // require_stable, tags
  });

  it('asks again while a partition is UNSTABLE_OFFSET_COMMIT, telling once, then answers the stable offsets', async () => {
    const unstable = { partitions: [{ partition: 0, offset: -1, error: 88 }, { partition: 1, offset: 3, error: 0 }] };
    const stable = { partitions: [{ partition: 0, offset: 20, error: 0 }, { partition: 1, offset: 3, error: 0 }] };
    const { broker, sent } = fakeBroker([unstable, unstable, unstable, stable]);
    const told: unknown[] = [];
    const started = Date.now();
    const offsets = await fetchStableOffsets(broker, 'g', partitions, { onUnstable: (held) => told.push(held) });
    expect(offsets).toEqual([
      { topic: 'in', partition: 0, offset: 20 },
      { topic: 'in', partition: 1, offset: 3 },
    ]);
    expect(sent).toHaveLength(4);
    expect(told).toEqual([[{ topic: 'in', partition: 0 }]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40 + 80 - 5); // the backoff doubles from 20 ms
  });

  it('gives up with the retriable UNSTABLE_OFFSET_COMMIT error when the signal aborts', async () => {
    const { broker } = fakeBroker([{ partitions: [{ partition: 0, offset: -1, error: 88 }] }]);
    const error = await fetchStableOffsets(broker, 'g', partitions, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'UNSTABLE_OFFSET_COMMIT', retriable: true });
  });

  it('rejects with kafkajs’ error of the group’s code, else of a partition’s', async () => {
    const notCoordinator = fakeBroker([{ groupError: 16, partitions: [] }]).broker;
    await expect(fetchStableOffsets(notCoordinator, 'g', partitions)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP', retriable: true });
    const denied = fakeBroker([{ partitions: [{ partition: 0, offset: -1, error: 88 }, { partition: 1, offset: -1, error: 29 }] }]).broker;
    await expect(fetchStableOffsets(denied, 'g', partitions)).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
  });
});
