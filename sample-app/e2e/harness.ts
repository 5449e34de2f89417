import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partitionFor } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { SAMPLE_CONFIG } from '../src/config/sample-config.js';
import type { SampleConfig } from '../src/config/sample-config.js';

/** A fresh data folder under the OS temp folder; `remove()` deletes it. */
export function tempDataDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'goka-sample-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, overrides: Partial<SampleConfig> = {}): SampleConfig {
  return {
    brokers: [],
    dataDir,
    partitions: 4,
    feedSize: 5,
    spamMinMessages: 20,
    spamMaxRate: 0.9,
    ...overrides,
  };
}

/** The whole app (AppModule) with `config`, initialized (Goka recovered and running) but not listening. */
export async function startApp(config: SampleConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(SAMPLE_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}

/**
 * The sample app on the embedded Kafka for one suite: started in a fresh data folder before its tests,
 * closed (and the folder removed) after them. `restart()` closes it and starts it again on the same
 * data folder; `server()` is the running app's HTTP server.
 */
export function sampleAppPerSuite(): {
  readonly config: SampleConfig;
  server(): ReturnType<INestApplication['getHttpServer']>;
  restart(): Promise<void>;
} {
  const dataDir = tempDataDir();
  const config = testConfig(dataDir.path);
  let app: INestApplication | undefined;
  beforeAll(async () => {
    app = await startApp(config);
  });
  afterAll(async () => {
    await app?.close();
    dataDir.remove();
  });
  return {
    config,
    server() {
      if (app === undefined) throw new Error('the app did not start');
      return app.getHttpServer();
    },
    async restart() {
      await app?.close();
      app = undefined;
      app = await startApp(config);
    },
  };
}

/** Polls `probe` until it returns without throwing (an `expect` that holds), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A name unique to this run, so tests on a shared broker never see each other's users. */
export function unique(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Another user whose key lands on the same partition as `user` (so the filter handles their messages in order). */
export function samePartitionAs(user: string, partitions: number): string {
  const target = partitionFor(user, partitions);
  for (let index = 0; ; index += 1) {
    const candidate = `${user}-friend-${index}`;
    if (partitionFor(candidate, partitions) === target) return candidate;
  }
}

type Server = Parameters<typeof request>[0];

/** The clicks feature: counts per user, the 404 of unknown users, the list of all. */
export async function checkClicks(server: Server): Promise<string> {
  const alice = unique('alice');
  const bob = unique('bob');
  await request(server).get(`/clicks/${alice}`).expect(404);
  for (const user of [alice, alice, bob]) await request(server).post(`/clicks/${user}`).expect(202);
  await eventually(async () => {
    const response = await request(server).get(`/clicks/${alice}`).expect(200);
    expect(response.body).toMatchObject({ user: alice, clicks: 2 });
    expect(Number.isNaN(Date.parse(response.body.lastSeen))).toBe(false);
  });
  await eventually(async () => {
    const response = await request(server).get('/clicks').expect(200);
    const users = response.body as Array<{ user: string; clicks: number }>;
    expect(users.find((entry) => entry.user === bob)?.clicks).toBe(1);
    expect(users.find((entry) => entry.user === alice)?.clicks).toBe(2);
  });
  return alice;
}

interface FeedMessage {
  from: string;
  to: string;
  content: string;
}

async function feed(server: Server, user: string): Promise<FeedMessage[]> {
  const response = await request(server).get(`/messages/${user}/feed`).expect(200);
  return (response.body as { messages: FeedMessage[] }).messages;
}

async function send(server: Server, from: string, to: string, content: string): Promise<void> {
  await request(server).post('/messages').send({ from, to, content }).expect(202);
}

/** The messaging feature: translator, filter, collector, blocker, detector. */
export async function checkMessaging(server: Server, config: SampleConfig): Promise<void> {
  const alice = unique('alice');
  const bob = unique('bob');
  const eve = unique('eve');
  const word = unique('hello');

  await request(server).post('/messages').send({ from: bob, to: alice }).expect(400);
  expect(await feed(server, alice)).toEqual([]);
  await request(server).get(`/translations/${word}`).expect(404);

  // translator: once the table has the word, the filter translates it.
  await request(server).put(`/translations/${word}`).send({ translation: 'h3ll0' }).expect(202);
  await eventually(async () => {
    const response = await request(server).get(`/translations/${word}`).expect(200);
    expect(response.body).toEqual({ word, translation: 'h3ll0' });
  });
  await send(server, bob, alice, `${word} alice`);
  await eventually(async () => expect(await feed(server, alice)).toEqual([{ from: bob, to: alice, content: 'h3ll0 alice', sentAt: expect.any(String) }]));

  // collector: the feed keeps the last 5, oldest first; `limit` shortens it.
  for (let index = 1; index <= 6; index += 1) await send(server, bob, alice, `message ${index}`);
  await eventually(async () =>
    expect((await feed(server, alice)).map((message) => message.content)).toEqual(
      [2, 3, 4, 5, 6].map((index) => `message ${index}`),
    ),
  );
  const limited = await request(server).get(`/messages/${alice}/feed?limit=2`).expect(200);
  expect(limited.body.messages.map((message: FeedMessage) => message.content)).toEqual(['message 5', 'message 6']);

  // blocker + filter: once the filter's join sees the block, eve's messages are dropped. A friend of
  // eve's on the same partition sends right after her: when the friend's message is in the feed, eve's
  // would be before it.
  await request(server).post(`/users/${eve}/block`).expect(202);
  await eventually(async () => expect((await request(server).get(`/users/${eve}`).expect(200)).body.blocked).toBe(true));
  expect((await request(server).get('/users/blocked').expect(200)).body).toContain(eve);
  const friend = samePartitionAs(eve, config.partitions);
  let attempt = 0;
  await eventually(async () => {
    attempt += 1;
    await send(server, eve, alice, `spam ${attempt}`);
    await send(server, friend, alice, `marker ${attempt}`);
    const contents = await eventually(async () => {
      const found = (await feed(server, alice)).map((message) => message.content);
      expect(found).toContain(`marker ${attempt}`);
      return found;
    });
    expect(contents).not.toContain(`spam ${attempt}`);
  }, 30_000);

  // unblock: eve's messages get through again.
  await request(server).post(`/users/${eve}/unblock`).expect(202);
  await eventually(async () => expect((await request(server).get(`/users/${eve}`).expect(200)).body.blocked).toBe(false));
  await eventually(async () => {
    await send(server, eve, alice, 'welcome back');
    await eventually(async () => expect((await feed(server, alice)).map((message) => message.content)).toContain('welcome back'), 5_000);
  }, 30_000);

  // detector: bob only sends, so after `spamMinMessages` messages he is a spammer and gets blocked.
  const spammer = unique('spammer');
  await request(server).get(`/users/${spammer}`).expect(404);
  for (let index = 0; index < config.spamMinMessages; index += 1) await send(server, spammer, unique('victim'), 'buy now');
  await eventually(async () => {
    const response = await request(server).get(`/users/${spammer}`).expect(200);
    expect(response.body).toEqual({ user: spammer, blocked: true, sent: config.spamMinMessages, received: 0 });
  });
  await eventually(async () => {
    const response = await request(server).get(`/users/${alice}`).expect(200);
    expect(response.body.received).toBeGreaterThanOrEqual(8);
    expect(response.body.sent).toBe(0);
  });
}
