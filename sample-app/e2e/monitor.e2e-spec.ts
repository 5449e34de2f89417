import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Groups, Tables } from '../src/kafka/topics.js';
import { eventually, sampleAppPerSuite, unique } from './harness.js';

describe('the sample app mounts the Goka monitor at /goka', () => {
  const { server } = sampleAppPerSuite();

  it('lists every processor and view, serves pages, metrics and health', async () => {
    const { body } = await request(server()).get('/goka/api/overview').expect(200);
    expect(body).toMatchObject({ title: 'Goka sample app', basePath: '/goka', ready: true, metrics: true });
    const groups = (body.processors as Array<{ group: string }>).map((processor) => processor.group).sort();
    expect(groups).toEqual(Object.values(Groups).sort());
    expect(body.processors).toContainEqual(
      expect.objectContaining({ group: Groups.clicks, className: 'ClicksProcessor', visitors: ['reset'] }),
    );
    expect((await request(server()).get('/goka').expect(200)).text).toContain('/goka/assets/monitor.js');
    expect((await request(server()).get('/goka/metrics').expect(200)).text).toContain(`goka_processor_ready{group="${Groups.clicks}"} 1`);
    await request(server()).get('/goka/api/health').expect(200);
  });

  it('emits clicks with the emit-clicks action, queries them, and resets them with the reset visitor', async () => {
    const user = unique('monitor');
    await request(server())
      .post('/goka/api/actions/emit-clicks/start')
      .send({ value: JSON.stringify({ user, count: 3 }) })
      .expect(200);
    await eventually(async () => {
      const { body } = await request(server()).get(`/goka/api/query/${Groups.clicks}`).query({ key: user }).expect(200);
      expect(body).toMatchObject({ found: true, value: { clicks: 3 } });
    });
    const actions = (await request(server()).get('/goka/api/actions').expect(200)).body as Array<{ name: string; result?: string }>;
    expect(actions.find((action) => action.name === 'emit-clicks')?.result).toBe(`emitted 3 clicks of ${user}`);

    await request(server()).post(`/goka/api/actions/${Groups.clicks}.reset/start`).send({ value: '1' }).expect(200);
    await eventually(async () => {
      const { body } = await request(server()).get(`/goka/api/query/${Tables.clicks}`).query({ key: user }).expect(200);
      expect(body).toMatchObject({ found: true, value: { clicks: 1 } });
    });
  });

  it('queries the Avro feed table (Confluent wire format, embedded schema registry) decoded as JSON', async () => {
    const [from, to] = [unique('avro-from'), unique('avro-to')];
    await request(server()).post('/messages').send({ from, to, content: 'hi in avro' }).expect(202);
    const sources = (await request(server()).get('/goka/api/query').expect(200)).body as { sources: Array<{ name: string; codec: string }> };
    expect(sources.sources).toContainEqual(expect.objectContaining({ name: Groups.collector, codec: 'avro' }));
    await eventually(async () => {
      const { body } = await request(server()).get(`/goka/api/query/${Groups.collector}`).query({ key: to }).expect(200);
      expect(body).toMatchObject({ found: true, value: [{ from, to, content: 'hi in avro', sentAt: expect.any(String) }] });
      expect(body.text).toContain('"content": "hi in avro"');
    });
  });
});
