import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({
    test: { name: 'sample-app', include: ['src/**/*.spec.ts', 'e2e/**/*.e2e-spec.ts'], setupFiles: ['reflect-metadata'] },
  }),
);
