import { codecs } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import { getEmitterToken, GokaModule, Input, Persist, Processor } from '@goka/nestjs';
import { GokaMonitorModule } from '@goka/nestjs/monitor';
import type { MonitorOverview, MonitorProcessorDetail, MonitorQueryResult, MonitorViewDetail } from '@goka/nestjs/monitor';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

const PARTITIONS = 3;

/** The value of one sample of the Prometheus text (`undefined` when the series is absent). */
function metric(text: string, name: string, labels: Record<string, string | number>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${wanted}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GokaMonitorModule on a real broker', () => {
  const brokers = systemBrokers();
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves JSON stats, queries and Prometheus metrics that move while a processor runs', async () => {
    const input = uniqueName('monitor-clicks');
    const group = uniqueName('monitor-counter');
    const table = `${group}-table`;
    const admin = kafkaClient(brokers, 'monitor-api-admin').admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: input, numPartitions: PARTITIONS }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }

    @Processor(group)
    @Persist(codecs.int64)
    class CounterProcessor {
      @Input(input, codecs.string)
      count(_click: string, ctx: ProcessContext<number>): void {
        ctx.setValue((ctx.value() ?? 0) + 1);
      }
    }

    async function startApp(): Promise<INestApplication> {
      const moduleRef = await Test.createTestingModule({
        imports: [
          GokaModule.forRoot({
            brokers,
            logger: false,
            processorDefaults: { initialOffset: 'oldest' },
            waitForRecovery: { timeoutMs: 90_000 },
          }),
          GokaModule.registerView({ group, codec: codecs.int64 }),
          GokaModule.registerEmitter({ topic: input, codec: codecs.string }),
          GokaMonitorModule.forRoot({ intervalMs: 200 }),
        ],
        providers: [CounterProcessor],
      }).compile();
      const created = moduleRef.createNestApplication({ logger: false });
      created.enableShutdownHooks();
      await created.init();
      return created;
    }

    app = await startApp();
    const server = app.getHttpServer();
    const poll = { timeoutMs: 60_000, intervalMs: 100 };

    // Every partition reaches running; the overview lists the graph; health is up.
    await eventually(async () => {
      const overview = (await request(server).get('/goka/api/overview').expect(200)).body as MonitorOverview;
      expect(overview.ready).toBe(true);
      expect(overview.processors).toEqual([
        expect.objectContaining({
          group,
          className: 'CounterProcessor',
          phase: 'ready',
          edges: [
            { kind: 'input', topic: input, codec: 'string' },
            { kind: 'table', topic: table, codec: 'int64' },
          ],
          partitions: { running: PARTITIONS },
        }),
      ]);
      expect(overview.views).toEqual([expect.objectContaining({ table, phase: 'ready', partitions: { running: PARTITIONS } })]);
    }, poll);
    await request(server).get('/goka/api/health').expect(200);
    const before = (await request(server).get('/goka/metrics').expect(200)).text;
    expect(metric(before, 'goka_processor_consumed_messages_total', { group, topic: input }) ?? 0).toBe(0);
    expect(metric(before, 'goka_processor_ready', { group })).toBe(1);

    // Messages flow: counts grow, rates show, lag returns to 0.
    const emitter = app.get<Emitter<string>>(getEmitterToken(input));
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    await Promise.all(users.flatMap((user) => Array.from({ length: 5 }, () => emitter.emit(user, 'click'))));
    let sawInputRate = false;
    await eventually(async () => {
      const detail = (await request(server).get(`/goka/api/processors/${group}`).expect(200)).body as MonitorProcessorDetail;
      sawInputRate ||= detail.series.some((sample) => (sample.inputRate ?? 0) > 0);
      expect(detail.inputs).toEqual([expect.objectContaining({ topic: input, count: 30, lag: 0 })]);
      expect(detail.partitionList).toHaveLength(PARTITIONS);
      for (const partition of detail.partitionList) {
        expect(partition).toMatchObject({ mode: 'active', state: 'running', recovery: { progress: 1 } });
        expect(partition.inputs).toEqual([expect.objectContaining({ topic: input, lag: 0 })]);
      }
      expect(sawInputRate).toBe(true);
      expect(detail.callbackErrors).toBe(0);
      expect(detail.commitLatencyMs).toBeGreaterThanOrEqual(0);
    }, poll);
    await eventually(async () => {
      const view = (await request(server).get(`/goka/api/views/${table}`).expect(200)).body as MonitorViewDetail;
      expect(view.partitionList.map((partition) => partition.state)).toEqual(Array(PARTITIONS).fill('running'));
      expect(view.partitionList.every((partition) => partition.lag === 0)).toBe(true);
      const query = (await request(server).get(`/goka/api/query/${table}`).query({ key: 'carol' }).expect(200)).body as MonitorQueryResult;
      expect(query).toMatchObject({ found: true, value: 5, text: '5' });
    }, poll);
    const fromTable = (await request(server).get(`/goka/api/query/${group}`).query({ key: 'alice' }).expect(200)).body as MonitorQueryResult;
    expect(fromTable).toEqual({ source: group, key: 'alice', found: true, value: 5, text: '5' });
    await request(server)
      .get(`/goka/api/query/${group}`)
      .query({ key: 'zoe' })
      .expect(200, { source: group, key: 'zoe', found: false, text: `Key 'zoe' not found in '${group}'` });

    await eventually(async () => {
      const text = (await request(server).get('/goka/metrics').expect(200)).text;
      expect(metric(text, 'goka_processor_consumed_messages_total', { group, topic: input })).toBe(30);
      expect(metric(text, 'goka_processor_table_writes_total', { group })).toBe(30);
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        expect(metric(text, 'goka_processor_lag', { group, topic: input, partition })).toBe(0);
        expect(metric(text, 'goka_processor_partition_state', { group, partition, mode: 'active', state: 'running' })).toBe(1);
        expect(metric(text, 'goka_processor_recovery_progress', { group, partition })).toBe(1);
      }
      expect(metric(text, 'goka_processor_commits_total', { group })).toBeGreaterThan(0);
      expect(metric(text, 'goka_view_records_total', { table })).toBe(30);
      expect(metric(text, 'goka_view_state', { table, state: 'running' })).toBe(1);
    }, poll);

    // More messages: the counters keep moving.
    await Promise.all(Array.from({ length: 20 }, () => emitter.emit('alice', 'click')));
    await eventually(async () => {
      const text = (await request(server).get('/goka/metrics').expect(200)).text;
      expect(metric(text, 'goka_processor_consumed_messages_total', { group, topic: input })).toBe(50);
      const query = (await request(server).get(`/goka/api/query/${group}`).query({ key: 'alice' }).expect(200)).body as MonitorQueryResult;
      expect(query.value).toBe(25);
    }, poll);

    // A second start recovers the table (memory storage): recovery reads every record once, progress 1.
    await app.close();
    app = await startApp();
    const restarted = app.getHttpServer();
    await eventually(async () => {
      const detail = (await request(restarted).get(`/goka/api/processors/${group}`).expect(200)).body as MonitorProcessorDetail;
      expect(detail.partitionList).toHaveLength(PARTITIONS);
      const totals = detail.partitionList.map((partition) => partition.recovery?.total ?? 0);
      expect(totals.reduce((sum, total) => sum + total, 0)).toBeGreaterThan(0);
      for (const partition of detail.partitionList) {
        expect(partition.state).toBe('running');
        expect(partition.recovery).toMatchObject({ progress: 1, etaSeconds: 0, done: partition.recovery?.total });
        expect(partition.recovery?.endTime).toBeGreaterThanOrEqual(partition.recovery?.startTime ?? Infinity);
      }
      const view = (await request(restarted).get(`/goka/api/views/${table}`).expect(200)).body as MonitorViewDetail;
      expect(view.partitionList.every((partition) => partition.recovery.progress === 1)).toBe(true);
      expect(view.partitionList.reduce((sum, partition) => sum + (partition.recovery.total ?? 0), 0)).toBeGreaterThan(0);
      const text = (await request(restarted).get('/goka/metrics').expect(200)).text;
      expect(metric(text, 'goka_processor_consumed_messages_total', { group, topic: input }) ?? 0).toBe(0);
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        expect(metric(text, 'goka_processor_recovery_progress', { group, partition })).toBe(1);
      }
    }, poll);
    const afterRestart = (await request(restarted).get(`/goka/api/query/${group}`).query({ key: 'alice' }).expect(200)).body as MonitorQueryResult;
    expect(afterRestart.value).toBe(25);
  });
});
