import { Emitter, MemoryKafka, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { avro, MemorySchemaRegistry, SchemaRegistryClient } from '@goka/schema-registry';
import type { INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaComponentFactory } from './goka-component.factory.js';
import { resolveCodecServices } from './goka-codec-services.util.js';
import { getEmitterToken, getViewToken } from './goka.tokens.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import { GokaTester } from './testing/goka-tester.js';
import { GokaTestingModule } from './testing/goka-testing.module.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';

interface User {
  name: string;
  plan: string;
}
interface Visits {
  count: number;
  plan: string;
}

// Codecs created without registry and topic: the module's schemaRegistry and each edge's topic bind them.
const users = avro<User>({ schema: { type: 'record', name: 'User', namespace: 'nest', fields: [{ name: 'name', type: 'string' }, { name: 'plan', type: 'string' }] } });
const visits = avro<Visits>({ schema: { type: 'record', name: 'Visits', namespace: 'nest', fields: [{ name: 'count', type: 'int' }, { name: 'plan', type: 'string' }] } });

@Processor('visits')
@Persist(visits)
class VisitsProcessor {
  @Input('users', users)
  visit(user: User, ctx: ProcessContext<Visits>): void {
    ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1, plan: user.plan });
  }
}

const features = [GokaModule.registerView({ group: 'visits', codec: visits }), GokaModule.registerEmitter({ topic: 'users', codec: users })];
const base = { logger: false, processorDefaults: { initialOffset: 'oldest' }, waitForRecovery: { timeoutMs: 10_000 } } as const;

describe('GokaModule.forRoot({ schemaRegistry }) with unbound schema codecs', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function visitsOf(nest: INestApplication): Promise<Visits | undefined> {
    const emitter = nest.get<Emitter<User>>(getEmitterToken('users'));
    await emitter.emit('ann', { name: 'ann', plan: 'pro' });
    await emitter.emit('ann', { name: 'ann', plan: 'team' });
    const view = nest.get<View<Visits>>(getViewToken('visits'));
    await expect.poll(async () => (await view.get('ann'))?.count, { timeout: 5_000 }).toBe(2);
    return view.get('ann');
  }

  it('binds the decorators, the view and the emitter to a client, each edge to its topic', async () => {
    const memory = new MemorySchemaRegistry();
    const kafka = new MemoryKafka({ createTopics: { partitions: 2 } });
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ ...base, kafka, schemaRegistry: memory.client() }), ...features],
      providers: [VisitsProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect({ ...(await visitsOf(app)) }).toEqual({ count: 2, plan: 'team' });
    expect(memory.subjects().sort()).toEqual(['users-value', 'visits-table-value']);
    expect(app.get(GokaComponentFactory).codecServices).toMatchObject({ schemaRegistry: expect.any(SchemaRegistryClient) });
  });

  it('takes client options from forRootAsync with ConfigService, loading @goka/schema-registry', async () => {
    const memory = new MemorySchemaRegistry();
    const kafka = new MemoryKafka({ createTopics: { partitions: 1 } });
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRootAsync({
          imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SCHEMA_REGISTRY_URL: 'http://registry.test/apis/ccompat/v7' })] })],
          inject: [ConfigService],
          useFactory: (config: ConfigService): GokaModuleOptions => ({
            ...base,
            kafka,
            // a real URL and options; the memory registry's fetch stands in for the network
            schemaRegistry: { url: config.getOrThrow<string>('SCHEMA_REGISTRY_URL'), timeoutMs: 2_000, fetch: memory.fetch },
          }),
        }),
        ...features,
      ],
      providers: [VisitsProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect({ ...(await visitsOf(app)) }).toEqual({ count: 2, plan: 'team' });
    expect(memory.subjects().sort()).toEqual(['users-value', 'visits-table-value']);
  });

  it('without schemaRegistry, fails the start naming the topic and the setting to add', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ ...base, kafka: new MemoryKafka({ createTopics: { partitions: 1 } }) }), ...features],
      providers: [VisitsProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    const error = await app.init().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GOKA_NOT_READY' });
    const cause = (error as Error).cause;
    expect(cause).toMatchObject({ code: 'GOKA_CODEC_BIND', codec: 'avro' });
    expect(String((cause as Error).message)).toMatch(/needs a schema registry and its component has none: set GokaModule\.forRoot\(\{ schemaRegistry: \{ url \} \}\)/);
  });
});

describe('GokaTestingModule.forRoot({ schemaRegistry })', () => {
  it('consumes and reads tables with the bound codecs', async () => {
    const memory = new MemorySchemaRegistry();
    const moduleRef = await Test.createTestingModule({
      imports: [GokaTestingModule.forRoot({ logger: false, schemaRegistry: memory.client() }), ...features],
      providers: [VisitsProcessor],
    }).compile();
    try {
      await moduleRef.init();
      const goka = moduleRef.get(GokaTester);
      await goka.consume<User>('users', 'ann', { name: 'ann', plan: 'pro' });
      expect({ ...goka.tableValue<Visits>('visits-table', 'ann') }).toEqual({ count: 1, plan: 'pro' });
      expect(memory.subjects().sort()).toEqual(['users-value', 'visits-table-value']);
    } finally {
      await moduleRef.close();
    }
  });
});

describe('resolveCodecServices', () => {
  it('is empty without schemaRegistry, and passes a client as it is', async () => {
    expect(await resolveCodecServices({})).toEqual({});
    const client = new MemorySchemaRegistry().client();
    expect((await resolveCodecServices({ schemaRegistry: client }))['schemaRegistry']).toBe(client);
  });

  it('refuses unusable settings and says which package is missing', async () => {
    await expect(resolveCodecServices({ schemaRegistry: 'http://x' as never })).rejects.toThrow(/GokaModule option "schemaRegistry" must be a SchemaRegistryClient or its options/);
    await expect(resolveCodecServices({ schemaRegistry: { url: '' } })).rejects.toBeInstanceOf(GokaOptionsError);
    const missing = () => Promise.reject(new Error("Cannot find package '@goka/schema-registry'"));
    const error = await resolveCodecServices({ schemaRegistry: { url: 'http://r' } }, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GokaOptionsError);
    expect((error as Error).message).toBe(
      'GokaModule option schemaRegistry: { url: "http://r" } needs the package @goka/schema-registry; install it, or pass a SchemaRegistryClient as `schemaRegistry`',
    );
  });
});
