/** The `Tester` (of `@goka/tester`) a `GokaTestingModule` runs the application's processors on. */
export const GOKA_TESTER_INSTANCE = 'GOKA_TESTER_INSTANCE';

/** The options given to `GokaTestingModule.forRoot`. */
export const GOKA_TESTER_OPTIONS = 'GOKA_TESTER_OPTIONS';
