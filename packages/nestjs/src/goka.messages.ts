/**
 * Every message @goka/nestjs puts into an error or a log line. Each names the group, topic, class
 * or method involved, so a user can act on it without reading our sources.
 */

const list = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

export const duplicateProcessor = (group: string, classNames: readonly string[]): string =>
  `two processors for group "${group}": ${list(classNames)} are both decorated with @Processor("${group}"); ` +
  'a group has exactly one processor class (run more instances of the app to scale it)';

export const duplicateInput = (className: string, group: string, topic: string, methods: readonly string[]): string =>
  `${className} (group "${group}") has two callbacks for input topic "${topic}": ` +
  `${methods.map((method) => `${className}.${method}`).join(' and ')}; a topic has one @Input handler per group`;

export const missingInput = (className: string, group: string): string =>
  `${className} (group "${group}") has no @Input method; a processor needs at least one input stream ` +
  '(a @Loop alone does not count)';

export const duplicatePersist = (className: string, group: string, count: number): string =>
  `${className} (group "${group}") is decorated with @Persist ${count} times; a group has one table`;

export const visitorWithoutPersist = (className: string, group: string, method: string, name: string): string =>
  `${className}.${method} is @Visitor("${name}") but ${className} (group "${group}") has no @Persist; ` +
  'visitors walk the group table, so the processor needs @Persist(codec)';

export const duplicateLoop = (className: string, group: string, methods: readonly string[]): string =>
  `${className} (group "${group}") has ${methods.length} @Loop methods (${methods
    .map((method) => `${className}.${method}`)
    .join(', ')}); a group has one loop`;

export const duplicateVisitor = (className: string, group: string, name: string, methods: readonly string[]): string =>
  `${className} (group "${group}") has two @Visitor("${name}") methods: ${methods
    .map((method) => `${className}.${method}`)
    .join(' and ')}`;

export const emptyGroup = (className: string): string =>
  `${className} is decorated with @Processor("") ; the group name must be a non-empty string`;

export const emptyTopic = (className: string, method: string, decorator: string): string =>
  `${className}.${method}: ${decorator} needs a non-empty topic name`;

export const invalidGraph = (className: string, group: string, detail: string): string =>
  `${className} (group "${group}") defines an invalid group graph: ${detail}`;

export const scopedProcessor = (className: string, group: string): string =>
  `${className} (group "${group}") is request-scoped or transient (or depends on such a provider); ` +
  'stream callbacks have no request, so a @Processor class must be a singleton';

export const invalidOption = (option: string, requirement: string, value: unknown): string =>
  `GokaModule option "${option}" must be ${requirement}, got ${describe(value)}`;

export const storagePackageMissing = (path: string): string =>
  `GokaModule option storage: { path: "${path}" } stores tables in RocksDB and needs the package ` +
  '@goka/storage-rocksdb; install it, or pass a StorageFactory as `storage`';

export const schemaRegistryPackageMissing = (url: string): string =>
  `GokaModule option schemaRegistry: { url: "${url}" } needs the package @goka/schema-registry; install it, ` +
  'or pass a SchemaRegistryClient as `schemaRegistry`';

export const componentNotFound = (kind: string, name: string, known: readonly string[]): string =>
  `no Goka ${kind} "${name}" is registered` + (known.length === 0 ? '' : ` (registered: ${list(known)})`) +
  (kind === 'view'
    ? '; register it with GokaModule.registerView({ table | group, codec })'
    : kind === 'emitter'
      ? '; register it with GokaModule.registerEmitter({ topic, codec })'
      : '; decorate a provider with @Processor(group)');

export const viewCodecConflict = (table: string): string =>
  `the view of table "${table}" is registered twice with different codecs; register it once, or with the same codec`;

export const emitterCodecConflict = (topic: string): string =>
  `the emitter of topic "${topic}" is registered twice with different codecs; register it once, or with the same codec`;

export const notReady = (pending: readonly string[]): string => `Goka is not ready: ${pending.join('; ')}`;

/** `processor "g" is failed (stopped): <error>` — one component in a health check's message. */
export const componentNotReady = (what: string, status: { phase: string; state: string; error?: string }): string =>
  `${what} is ${status.phase} (${status.state})` + (status.error === undefined ? '' : `: ${status.error}`);

export const waitTimedOut = (timeoutMs: number): string => `gave up waiting after ${timeoutMs} ms`;

export const runEnded = (what: string, error: unknown): string =>
  error === undefined ? `${what} stopped` : `${what} failed: ${errorMessage(error)}`;

export const started = (processors: number, views: number): string =>
  `started ${processors} processor(s) and ${views} view(s)`;

export const componentFailed = (what: string): string => `${what} failed; it no longer runs`;

export const viewRestarting = (what: string, inMs: number, count: number): string =>
  `${what} failed; restarting it in ${inMs} ms (restart ${count}; reads fail until it runs again, ` +
  'set autoReconnect: false to leave a failed view stopped)';

export const shutdownTimedOut = (timeoutMs: number, pending: readonly string[]): string =>
  `shutdown gave up after ${timeoutMs} ms waiting for ${pending.join(', ')}`;

export const emitterFinishFailed = (topic: string): string => `flushing the emitter of topic "${topic}" failed`;

/** The message of an error-like value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

export const processorStarting = (group: string): string => `starting processor "${group}"`;

export const viewStarting = (table: string): string => `starting view of "${table}"`;

export const shuttingDown = (processors: number, views: number, emitters: number): string =>
  `stopping ${processors} processor(s), ${views} view(s) and flushing ${emitters} emitter(s)`;

export const processorNotCreated = (group: string, member: string): string =>
  `the processor of group "${group}" does not exist yet (reading "${member}"): the Processor injected with ` +
  `@InjectProcessor("${group}") is created when the module initializes; use it from onApplicationBootstrap on, ` +
  `and declare the @Processor("${group}") class (e.g. in GokaModule.forFeature({ processors }))`;

export const transportNotConnected = (): string =>
  'GokaTransport is not connected to a GokaModule: pass it as the `strategy` of NestFactory.createMicroservice or ' +
  'app.connectMicroservice of an application that imports GokaModule.forRoot';

export const transportEventsUnsupported = (event: string): string =>
  `GokaTransport has no events (asked for "${event}"): watch GokaRegistry.status() or GokaHealthIndicator instead`;

export const notAProcessorClass = (className: string): string =>
  `GokaModule.forFeature({ processors }) got ${className}, which is not decorated with @Processor(group)`;
