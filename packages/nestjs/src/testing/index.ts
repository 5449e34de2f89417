/**
 * @goka/nestjs/testing — runs decorated processors on `@goka/tester` in `Test.createTestingModule`.
 * Needs the peer `@goka/tester`.
 */
export { GokaTestingModule } from './goka-testing.module.js';
export { GokaTester } from './goka-tester.js';
export { GOKA_TESTER_INSTANCE } from './goka-testing.constants.js';
export type { GokaTestingModuleOptions } from './goka-testing-module-options.interface.js';
