import { describe, expect, it } from 'vitest';
import { kafkajsRequestQueueClass, stopIdleRequestQueueTimers } from './kafkajs-request-queue.js';

interface Queue {
  readonly throttleCheckTimeoutId: unknown;
  readonly pending: readonly unknown[];
  push(request: { entry: Record<string, unknown>; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function queue(): Queue {
  const RequestQueue = kafkajsRequestQueueClass();
  return new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b', logger: silent }) as Queue;
}

function entry(correlationId: number): Record<string, unknown> {
  return { correlationId, apiKey: 3, apiName: 'Metadata', apiVersion: 6, resolve: () => {}, reject: () => {} };
}

describe('kafkajs request queue (stopIdleRequestQueueTimers)', () => {
  stopIdleRequestQueueTimers();

  it('arms no timer once a response arrives and nothing is pending (kafkajs re-arms a 1 ms timer forever)', () => {
    const q = queue();
    q.push({ entry: entry(1), expectResponse: true, sendRequest: () => {} });
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still sends a request that waited for a broker throttle once the throttle ends', async () => {
    const q = queue();
    q.maybeThrottle(30);
    const sent = new Promise<number>((resolve) => {
      const at = Date.now();
      q.push({ entry: entry(2), expectResponse: true, sendRequest: () => resolve(Date.now() - at) });
    });
    expect(q.pending).toHaveLength(1);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await expect(sent).resolves.toBeGreaterThanOrEqual(25);
    q.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('patches once: calling it again keeps one wrapper', () => {
    const RequestQueue = kafkajsRequestQueueClass();
    const before = (RequestQueue.prototype as { scheduleCheckPendingRequests: unknown }).scheduleCheckPendingRequests;
    stopIdleRequestQueueTimers();
    expect((RequestQueue.prototype as { scheduleCheckPendingRequests: unknown }).scheduleCheckPendingRequests).toBe(before);
  });
});
