/**
 * Metadata keys and internal injection tokens of @goka/nestjs. Namespaced strings (not symbols or
 * random ids), so two copies of this package loaded in one process still read each other's metadata.
 */

/** Class metadata of `@Processor`: the group and its options. */
export const GOKA_PROCESSOR_METADATA = 'goka:processor';

/** Class metadata of `@Persist`, `@Join`, `@Lookup` and `@Output` (an array, one entry per decorator). */
export const GOKA_EDGES_METADATA = 'goka:edges';

/** Method metadata of `@Input`, `@Loop` and `@Visitor` (an array, one entry per decorator). */
export const GOKA_HANDLERS_METADATA = 'goka:handlers';

/** Token of the module extras (`manualRegistration`) that `forRoot`/`forRootAsync` were given. */
export const GOKA_MODULE_EXTRAS = 'GOKA_MODULE_EXTRAS';

/** Default of `shutdownTimeoutMs`: how long shutdown waits for processors and views to stop. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

/** Default key of the health indicator result (`{ goka: { status, ... } }`). */
export const DEFAULT_HEALTH_KEY = 'goka';

/**
 * Token of the `GokaModuleOptions` (the value `MODULE_OPTIONS_TOKEN` of the module builder has too).
 * Override it in tests: `.overrideProvider(GOKA_MODULE_OPTIONS).useValue({ kafka: new MemoryKafka() })`.
 *
 * @publicApi
 */
export const GOKA_MODULE_OPTIONS = 'GOKA_MODULE_OPTIONS';
