import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';
import { OUTAGE_SPECS } from './vitest.outage.config.mts';

/**
 * System tests run against a real Apache Kafka broker that `pnpm kafka up` started (the README's test
 * command does that). The global setup fails the run when no broker answers: these tests never skip.
 * The specs that stop a broker of their own are project `system-outage` (vitest.outage.config.mts).
 */
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'system',
      include: ['system/**/*.spec.ts', '../sample-app/e2e/real-kafka.e2e-spec.ts'],
      // The broker-outage specs are project `system-outage` (run beside this one).
      exclude: OUTAGE_SPECS,
      globalSetup: ['./support/require-broker.global.ts'],
      setupFiles: ['reflect-metadata'],
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }),
);
