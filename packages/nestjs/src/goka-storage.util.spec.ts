import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecs, MemoryKafka, memoryStorageFactory } from '@goka/core';
import type { ProcessContext, StorageFactory } from '@goka/core';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { resolveStorage } from './goka-storage.util.js';
import type { GokaStorageScope } from './interfaces/goka-storage-options.interface.js';
import { tableWatch } from './test-support/signals.util.js';

describe('resolveStorage', () => {
  it('keeps the core default, shares a plain factory and asks a scoped factory per component', () => {
    expect(resolveStorage(undefined, { kind: 'view', table: 't' })).toBeUndefined();
    const shared = memoryStorageFactory();
    expect(resolveStorage(shared, { kind: 'processor', group: 'g' })).toBe(shared);
    const scopes: GokaStorageScope[] = [];
    const factory = (scope: GokaStorageScope): StorageFactory => {
      scopes.push(scope);
      return shared;
    };
    resolveStorage({ factory }, { kind: 'processor', group: 'g' });
    resolveStorage({ factory }, { kind: 'view', table: 'g-table' });
    expect(scopes).toEqual([
      { kind: 'processor', group: 'g' },
      { kind: 'view', table: 'g-table' },
    ]);
  });
});

describe('storage: { path } (RocksDB)', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('gives a processor and a view of the same table their own RocksDB database, each with the memory budget', async () => {
    const path = await mkdtemp(join(tmpdir(), 'goka-nestjs-'));
    folders.push(path);
    const kafka = new MemoryKafka();
    kafka.createTopic('visits', { partitions: 2 });
    const watch = tableWatch();

    @Processor('visits')
    @Persist(codecs.int64)
    class VisitsProcessor {
      @Input('visits', codecs.string)
      count(_visit: string, ctx: ProcessContext<number>): void {
        ctx.setValue((ctx.value() ?? 0) + 1);
      }
    }

    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({
          kafka,
          logger: false,
          storage: { path, memory: { blockCacheBytes: 8 << 20, writeBufferBytes: 4 << 20 } },
          processorDefaults: { initialOffset: 'oldest' },
        }),
        GokaModule.registerView({ group: 'visits', codec: codecs.int64, options: { updateCallback: watch.updateCallback } }),
        GokaModule.registerEmitter({ topic: 'visits', codec: codecs.string }),
      ],
      providers: [VisitsProcessor],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const registry = app.get(GokaRegistry);
      await registry.waitForReady({ timeoutMs: 10_000 });
      const emitter = registry.getEmitter<string>('visits');
      await Promise.all(['a', 'b', 'a'].map((key) => emitter.emit(key, 'visit')));
      await watch.applied(3);
      expect(await registry.getView<number>('visits').get('a')).toBe(2);
      expect(await registry.getProcessor<number>('visits').get('a')).toBe(2);
      expect(existsSync(join(path, 'processors', 'visits', 'rocksdb', 'CURRENT'))).toBe(true);
      expect(existsSync(join(path, 'views', 'visits-table', 'rocksdb', 'CURRENT'))).toBe(true);
      // The budget reached RocksDB: memtables of writeBufferBytes / 4, as RocksDB records them.
      for (const component of [join('processors', 'visits'), join('views', 'visits-table')]) {
        const location = join(path, component, 'rocksdb');
        const latest = readdirSync(location).filter((name) => name.startsWith('OPTIONS-')).toSorted().at(-1) ?? '';
        expect(readFileSync(join(location, latest), 'utf8'), component).toMatch(/^\s*write_buffer_size=1048576$/m);
      }
    } finally {
      await app.close();
    }
  });
});
