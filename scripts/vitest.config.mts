import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({
    // The API report type-checks every package's entry points: give it time on a busy machine.
    test: { name: 'scripts', include: ['src/**/*.spec.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
  }),
);
