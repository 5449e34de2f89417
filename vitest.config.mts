import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'sample-app', 'scripts', 'test', 'test/vitest.outage.config.mts'],
  },
});
