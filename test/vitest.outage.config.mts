import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

/**
 * The system tests that stop and restart a broker of their own for tens of seconds (broker outages),
 * and those that run a broker of their own (the secured SASL_SSL broker): they mostly wait, so
 * `scripts/test.sh` runs this project beside the others (project `system`) to keep the whole run short.
 * Each spec uses its own ports, never the shared broker's.
 */
export const OUTAGE_SPECS = [
  'system/emitter-outage.spec.ts',
  'system/emitter-outage-timeout.spec.ts',
  'system/exactly-once-outage.spec.ts',
  'system/nestjs-view-outage.spec.ts',
  'system/processor-reconnect.spec.ts',
  'system/secured-broker.spec.ts',
  'system/view-reconnect.spec.ts',
];

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'system-outage',
      include: OUTAGE_SPECS,
      setupFiles: ['reflect-metadata'],
      fileParallelism: false,
      testTimeout: 300_000,
      hookTimeout: 180_000,
    },
  }),
);
