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

/**
 * Token of the `codecServices` every component of the module gets (`{ schemaRegistry }` when
 * `schemaRegistry` is set, else `{}`), resolved once by an async provider.
 */
export const GOKA_CODEC_SERVICES = 'GOKA_CODEC_SERVICES';

/** Default of `shutdownTimeoutMs`: how long shutdown waits for processors and views to stop. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * Nest's default `backoff` of views (core's is Goka's 10 s steps up to 120 s): waits of 0, 1, 2, ...
 * up to 30 s between reconnects and restarts, starting over after 60 s without failure. A view that
 * is reconnecting is DOWN in the health check, so it should come back soon after Kafka does; a retry
 * costs a metadata and an offsets request per partition.
 */
export const DEFAULT_VIEW_BACKOFF = Object.freeze({ step: 1_000, max: 30_000, resetAfter: 60_000 });

/** Default key of the health indicator result (`{ goka: { status, ... } }`). */
export const DEFAULT_HEALTH_KEY = 'goka';

/**
 * Token of the `GokaModuleOptions` (the value `MODULE_OPTIONS_TOKEN` of the module builder has too).
 * Override it in tests: `.overrideProvider(GOKA_MODULE_OPTIONS).useValue({ kafka: new MemoryKafka() })`.
 *
 * @publicApi
 */
export const GOKA_MODULE_OPTIONS = 'GOKA_MODULE_OPTIONS';
