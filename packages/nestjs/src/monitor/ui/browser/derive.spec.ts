import { describe, expect, it } from 'vitest';
import type { MonitorActionStatus, MonitorEdge, MonitorProcessorDetail, MonitorRecovery } from '../../interfaces/monitor-api.interface.js';
import { actionBadge, actionFields, graphColumns, partitionCaption, processorTotals, recoveries } from './derive.js';

function recovery(progress: number): MonitorRecovery {
  return { total: 100, done: progress * 100, progress, rate: undefined, etaSeconds: undefined, startTime: undefined, endTime: undefined };
}

const EDGES: MonitorEdge[] = [
  { kind: 'input', topic: 'clicks', codec: 'string' },
  { kind: 'lookup', topic: 'users-table', codec: 'json' },
  { kind: 'join', topic: 'prices-table', codec: 'json' },
  { kind: 'table', topic: 'counter-table', codec: 'int64' },
  { kind: 'loop', topic: 'counter-loop', codec: 'string' },
  { kind: 'output', topic: 'totals', codec: 'int64' },
];

function processor(overrides: Partial<MonitorProcessorDetail> = {}): MonitorProcessorDetail {
  return {
    group: 'counter',
    className: 'CounterProcessor',
    phase: 'ready',
    state: 'running',
    edges: EDGES,
    partitions: { running: 2 },
    visitors: [],
    sampledAt: 0,
    intervalMs: 1000,
    partitionList: [
      { partition: 0, mode: 'active', state: 'running', recovery: recovery(1), inputs: [], tableRate: 4 },
      { partition: 1, mode: 'standby', state: 'standby', recovery: undefined, inputs: [], tableRate: 2 },
      { partition: 2, mode: 'active', state: 'running', recovery: undefined, inputs: [], tableRate: undefined },
    ],
    inputs: [
      { topic: 'clicks', count: 10, bytes: 100, rate: 5, bytesRate: 50, lag: 3 },
      { topic: 'counter-loop', count: 1, bytes: 10, rate: undefined, bytesRate: undefined, lag: 4 },
    ],
    outputs: [{ topic: 'totals', count: 2, bytes: 20, rate: 1.5, bytesRate: 15 }],
    lookups: [],
    callbackErrors: 0,
    errorPolicy: { retried: 0, skipped: 0, deadLettered: 0 },
    commitLatencyMs: undefined,
    guarantee: 'at-least-once',
    series: [],
    ...overrides,
  };
}

function action(overrides: Partial<MonitorActionStatus> = {}): MonitorActionStatus {
  return { name: 'counter.reset', description: 'visitAll', running: false, startedAt: undefined, finishedAt: undefined, value: undefined, lastError: undefined, runs: 0, ...overrides };
}

describe('monitor page derivations', () => {
  it('splits a group graph into what flows in, what the processor owns and what flows out', () => {
    const { incoming, own, outgoing } = graphColumns(EDGES);
    expect(incoming.map((e) => e.kind)).toEqual(['input', 'lookup', 'join']);
    expect(own.map((e) => e.kind)).toEqual(['table', 'loop']);
    expect(outgoing.map((e) => e.topic)).toEqual(['totals']);
  });

  it('captions a recovering partition with its whole percentage, any other with its state', () => {
    expect(partitionCaption('recovering', recovery(0.456))).toBe('recovering 45%');
    expect(partitionCaption('recovering', undefined)).toBe('recovering');
    expect(partitionCaption('running', recovery(0.5))).toBe('running');
  });

  it('lists the partitions that still recover and counts the recovered ones', () => {
    const { pending, done } = recoveries([
      { partition: 0, state: 'running', recovery: recovery(1) },
      { partition: 1, state: 'recovering', recovery: recovery(0.5) },
      { partition: 2, state: 'running', recovery: undefined },
      { partition: 3, state: 'running', recovery: recovery(0.9) },
      { partition: 4, state: 'recovering', recovery: recovery(1) },
    ]);
    expect(pending.map((p) => p.partition)).toEqual([1, 3, 4]);
    expect(done).toBe(2);
  });

  it('totals a processor: lag and rates over inputs and outputs, table writes of active partitions apart from standby copies', () => {
    expect(processorTotals(processor())).toEqual({
      totalLag: 7,
      inputRate: 5,
      outputRate: 1.5,
      tableRate: 4,
      standbyRate: 2,
      recovering: false,
      hasOutputs: true,
      hasTable: true,
    });
    const bare = processorTotals(processor({ edges: [EDGES[0] as MonitorEdge], inputs: [], outputs: [], partitionList: [], series: [{ t: 1, inputRate: 1, outputRate: undefined, tableRate: undefined, recoveryRate: 3, lag: 0 }] }));
    expect(bare).toEqual({ totalLag: undefined, inputRate: undefined, outputRate: undefined, tableRate: undefined, standbyRate: undefined, recovering: true, hasOutputs: false, hasTable: false });
  });

  it('badges an action running, failed, finished or idle', () => {
    expect(actionBadge(action({ running: true, lastError: 'boom' }))).toEqual({ label: 'running', tone: 'warn' });
    expect(actionBadge(action({ lastError: 'boom', runs: 1 }))).toEqual({ label: 'failed', tone: 'bad' });
    expect(actionBadge(action({ runs: 2 }))).toEqual({ label: 'finished', tone: 'good' });
    expect(actionBadge(action())).toEqual({ label: 'idle', tone: 'muted' });
  });

  it('lists an action\'s runs, times, value, result and last error; a running one counts its duration up to now', () => {
    const running = Object.fromEntries(actionFields(action({ running: true, startedAt: 1000, runs: 1, value: '{"to":7}' }), 61_000).map(([, text, key]) => [key, text]));
    expect(running).toMatchObject({ runs: '1', finished: 'running…', duration: '1m 0s', 'last-value': '{"to":7}', result: '–', error: 'none' });
    const failed = actionFields(action({ startedAt: 1000, finishedAt: 4000, runs: 1, lastError: 'boom', result: '12' }), 99_000);
    expect(failed.map(([label]) => label)).toEqual(['Runs', 'Started', 'Finished', 'Duration', 'Value', 'Result', 'Last error']);
    expect(Object.fromEntries(failed.map(([, text, key]) => [key, text]))).toMatchObject({ duration: '3s', 'last-value': '–', result: '12', error: 'boom' });
    expect(actionFields(action(), 5000).find(([, , key]) => key === 'duration')?.[1]).toBe('–');
  });
});
