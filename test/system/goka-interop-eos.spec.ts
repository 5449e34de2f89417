import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codecs, defineGroup, input, partitionFor, persist, Processor, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { ClickWriter } from './click-writer.js';
import { allCommitted, miscounted, viewCounts } from './exactly-once-harness.js';
import { adapterFor, createTopics, FAST, startReady, stopClean } from './processor-harness.js';

/**
 * Issue 16: a table written by an exactly-once processor of ours, read by the real Go Goka
 * (test/fixtures/goka-view: a goka.View with Goka's int64 codec) once with sarama's default isolation
 * level (read_uncommitted, what every Goka view has unless configured) and once with read_committed.
 * The Go module is built once per run with the Go toolchain: its modules come from the Go module proxy
 * into .tools/go/mod (ignored by git; about 10 s when empty), its compiled packages go to Go's own build
 * cache in the user's cache directory, which outlives a fresh clone (about 3 minutes on 2 busy cores
 * when that cache is empty, seconds once warm).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/goka-view');
const GO_HOME = join(ROOT, '.tools/go');
const PARTITIONS = 4;
const KEYS = 12;
const CLICKS = 600;
const BOGUS = 1_000_000;

/** The go command: GO, else `go` on PATH, else the toolchain's usual place. */
function goCommand(): string {
  if (process.env['GO'] !== undefined && process.env['GO'] !== '') return process.env['GO'];
  const onPath = (process.env['PATH'] ?? '').split(':').map((dir) => join(dir, 'go'));
  return onPath.find((candidate) => existsSync(candidate)) ?? '/usr/local/go/bin/go';
}

/** Whether Go finds its default build cache (GOCACHE, else under XDG_CACHE_HOME or HOME). */
function goBuildCacheResolvable(): boolean {
  return ['GOCACHE', 'XDG_CACHE_HOME', 'HOME'].some((name) => (process.env[name] ?? '') !== '');
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** What test/fixtures/goka-view prints. */
interface GoView {
  readonly recovered: boolean;
  readonly readCommitted: boolean;
  readonly values?: Record<string, number | null>;
  readonly partitions?: Record<string, { status: string; recoveryOffset: number; hwm: number }>;
  readonly error?: string;
}

describe('Go Goka views of an exactly-once table (real Kafka, real Go Goka)', () => {
  let workDir = '';
  let binary = '';

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'goka-interop-'));
    binary = join(workDir, 'goka-view');
    const started = performance.now();
    const built = await run(goCommand(), ['build', '-o', binary, '.'], {
      cwd: FIXTURE,
      env: {
        ...process.env,
        // -modcacherw: a module cache that `rm -rf .tools` can remove without chmod.
        GOFLAGS: '-mod=mod -modcacherw',
        GOPATH: GO_HOME,
        GOMODCACHE: join(GO_HOME, 'mod'),
        GOTOOLCHAIN: 'local',
        ...(goBuildCacheResolvable() ? {} : { GOCACHE: join(GO_HOME, 'cache') }),
      },
      timeoutMs: 580_000,
    });
    if (built.code !== 0) throw new Error(`go build of test/fixtures/goka-view failed (${built.code}):\n${built.stderr}`);
    console.info(`goka-view built in ${Math.round(performance.now() - started)} ms`);
  }, 600_000);

  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  async function goView(brokers: readonly string[], table: string, keys: readonly string[], readCommitted: boolean): Promise<GoView> {
    const args = ['-brokers', brokers.join(','), '-table', table, '-keys', keys.join(','), '-timeout', '10s'];
    if (readCommitted) args.push('-read-committed');
    const result = await run(binary, args, { timeoutMs: 60_000 });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    if (!line.startsWith('{')) throw new Error(`goka-view printed no result (exit ${result.code}):\n${result.stderr}`);
    return JSON.parse(line) as GoView;
  }

  it(
    'reads the exact counts with read_committed and an aborted write with read_uncommitted, but never finishes recovering while each partition ends with a transaction marker',
    async () => {
      const brokers = systemBrokers();
      const group = uniqueName('goka-interop');
      const topic = uniqueName('goka-interop-clicks');
      const table = tableName(group);
      await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);

      const graph = defineGroup(
        group,
        input(topic, codecs.string, (ctx: ProcessContext<number>) => ctx.setValue((ctx.value() ?? 0) + 1)),
        persist(codecs.int64),
      );
      const processor = new Processor(graph, {
        ...FAST,
        kafka: adapterFor(brokers),
        guarantee: 'exactly-once',
        transactionalId: uniqueName('goka-interop-counter'),
      });
      const running = await startReady(processor);
      const clicks = new ClickWriter(brokers, topic, KEYS);
      for (let burst = 0; burst < 6; burst++) await clicks.burst(CLICKS / 6);
      await clicks.stop();
      await allCommitted(brokers, group, topic);
      await stopClean(processor, running);
      expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);

      // One aborted transaction in the table topic: a bogus count for one key, in its partition.
      const victim = 'key-0';
      const producer = adapterFor(brokers).createTransactionalProducer({ transactionalId: uniqueName('goka-interop-aborted') });
      await producer.connect();
      try {
        const transaction = producer.begin();
        await transaction.send([{ topic: table, partition: partitionFor(victim, PARTITIONS), key: Buffer.from(victim), value: codecs.int64.encode(BOGUS) }]);
        await transaction.abort();
      } finally {
        await producer.disconnect();
      }

      const keys = [...clicks.emitted.keys()].sort();
      const exact = Object.fromEntries(keys.map((key) => [key, clicks.emitted.get(key)]));
      const withAborted = { ...exact, [victim]: BOGUS };
      const victimPartition = String(partitionFor(victim, PARTITIONS));

      // Goka's view recovery ends once it received the record at high-water mark - 1. In a table
      // written with transactions that offset is always a transaction marker, which no consumer is
      // handed: the view never reports itself recovered, whatever its isolation level. It has read
      // everything there is (Get is allowed while recovering), and what it read depends on the level.
      const uncommitted = await goView(brokers, table, keys, false);
      expect(uncommitted.recovered).toBe(false);
      for (const [partition, state] of Object.entries(uncommitted.partitions ?? {})) {
        // The last record it got is the one before the final marker (the aborted write in the victim's partition).
        expect(state, `partition ${partition}`).toMatchObject({ status: 'recovering', recoveryOffset: state.hwm - 2 });
      }
      expect(Object.keys(uncommitted.partitions ?? {})).toHaveLength(PARTITIONS);
      expect(uncommitted.values).toEqual(withAborted);

      const committed = await goView(brokers, table, keys, true);
      expect(committed.recovered).toBe(false);
      for (const [partition, state] of Object.entries(committed.partitions ?? {})) {
        // In the victim's partition: last committed record, commit marker, aborted record, abort marker.
        const behind = partition === victimPartition ? 4 : 2;
        expect(state, `partition ${partition}`).toMatchObject({ status: 'recovering', recoveryOffset: state.hwm - behind });
      }
      expect(Object.keys(committed.partitions ?? {})).toHaveLength(PARTITIONS);
      expect(committed.values).toEqual(exact);

      // The cause: once each partition ends with a plain (non-transactional) record, the same view
      // recovers. Tombstones of a key that is not in the table change no count.
      const plain = adapterFor(brokers).createProducer();
      await plain.connect();
      try {
        await plain.send(
          Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: table, partition, key: Buffer.from(`no-such-key-${partition}`), value: null })),
        );
      } finally {
        await plain.disconnect();
      }
      expect(await goView(brokers, table, keys, false)).toMatchObject({ recovered: true, values: withAborted });
      expect(await goView(brokers, table, keys, true)).toMatchObject({ recovered: true, values: exact });
    },
    240_000,
  );
});
