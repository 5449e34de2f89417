import { configDefaults, defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'sample-app',
      include: ['src/**/*.spec.ts', 'e2e/**/*.e2e-spec.ts'],
      // needs a real broker: the `system` project runs it (test/vitest.config.mts)
      exclude: [...configDefaults.exclude, 'e2e/real-kafka.e2e-spec.ts'],
      setupFiles: ['reflect-metadata'],
    },
  }),
);
