import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Workspace packages resolve to their sources, so tests never need a prior build. */
const sources: Record<string, string> = {
  '@goka/core': 'packages/core/src/index.ts',
  '@goka/core/kafka': 'packages/core/src/kafka/port.ts',
  '@goka/core/storage': 'packages/core/src/storage/index.ts',
  '@goka/kafkajs': 'packages/kafkajs/src/index.ts',
  '@goka/storage-rocksdb': 'packages/storage-rocksdb/src/index.ts',
  '@goka/tester': 'packages/tester/src/index.ts',
  '@goka/nestjs': 'packages/nestjs/src/index.ts',
  '@goka/nestjs/monitor': 'packages/nestjs/src/monitor/index.ts',
  '@goka/nestjs/testing': 'packages/nestjs/src/testing/index.ts',
  '@goka/scripts': 'scripts/src/index.ts',
};

/**
 * Settings every project shares. `oxc.decorator` (singular) is the key Vite 8 reads for legacy
 * decorators; the plural spellings are dropped silently.
 */
export const shared = {
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  resolve: {
    alias: Object.entries(sources).map(([name, path]) => ({
      find: new RegExp(`^${name.replaceAll('/', '\\/')}$`),
      replacement: root + path,
    })),
  },
} satisfies ViteUserConfig;
