import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

/**
 * System tests run against a real Apache Kafka broker that `pnpm kafka up` started (the README's test
 * command does that). The global setup fails the run when no broker answers: these tests never skip.
 */
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'system',
      include: ['system/**/*.spec.ts', '../sample-app/e2e/real-kafka.e2e-spec.ts'],
      globalSetup: ['./support/require-broker.global.ts'],
      setupFiles: ['reflect-metadata'],
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }),
);
