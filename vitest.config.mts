import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'sample-app', 'test', 'test/vitest.outage.config.mts'],
  },
});
