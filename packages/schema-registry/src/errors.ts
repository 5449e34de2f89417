import { GokaError } from '@goka/core';
import type { GokaErrorCode, GokaErrorOptions } from '@goka/core';

/** The codes of the errors @goka/schema-registry throws (README errors table). */
export const SCHEMA_REGISTRY_ERROR_CODES = [
  'GOKA_SCHEMA_REGISTRY_UNAVAILABLE',
  'GOKA_SCHEMA_REGISTRY_REQUEST',
  'GOKA_SCHEMA_INCOMPATIBLE',
  'GOKA_SCHEMA_NOT_LOADED',
  'GOKA_SCHEMA_CODEC_UNBOUND',
] as const;

declare module '@goka/core' {
  interface GokaErrorCodes extends Record<(typeof SCHEMA_REGISTRY_ERROR_CODES)[number], true> {}
}

/**
 * @publicApi The registry could not be reached, timed out or answered 5xx (after the client's retries).
 * Retriable: the same request may succeed once the registry is back.
 */
export class SchemaRegistryUnavailableError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_SCHEMA_REGISTRY_UNAVAILABLE';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, { ...options, retriable: true });
  }
}

/** Fields of a {@link SchemaRegistryRequestError}. */
export interface RegistryRequestFailure {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The registry's `error_code` (e.g. 40401 subject not found, 42201 invalid schema), when it sent one. */
  readonly errorCode: number | undefined;
  readonly message: string;
}

/** @publicApi The registry refused a request (4xx): unknown subject, version or id, invalid schema, bad credentials. */
export class SchemaRegistryRequestError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_SCHEMA_REGISTRY_REQUEST';

  readonly status: number;
  readonly errorCode: number | undefined;
  readonly path: string;

  constructor(failure: RegistryRequestFailure, options: GokaErrorOptions = {}) {
    const code = failure.errorCode === undefined ? '' : ` (error_code ${failure.errorCode})`;
    super(new.target.code, `schema registry answered ${failure.status}${code} to ${failure.method} ${failure.path}: ${failure.message}`, options);
    this.status = failure.status;
    this.errorCode = failure.errorCode;
    this.path = failure.path;
  }
}

/**
 * @publicApi Registration was rejected (HTTP 409): the schema is not compatible with the subject's
 * versions under its compatibility level. `latestVersion` is the version it was checked against.
 */
export class SchemaIncompatibleError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_SCHEMA_INCOMPATIBLE';

  readonly subject: string;
  readonly latestVersion: number | undefined;

  constructor(subject: string, latestVersion: number | undefined, reason: string, options: GokaErrorOptions = {}) {
    const against = latestVersion === undefined ? '' : ` version ${latestVersion}`;
    super(new.target.code, `schema is incompatible with subject "${subject}"${against}: ${reason}`, options);
    this.subject = subject;
    this.latestVersion = latestVersion;
  }
}

/**
 * @publicApi A record names a schema id this codec has not loaded yet. Codecs decode synchronously, so
 * the schema is fetched in the background and this error is thrown meanwhile; it is retriable (the next
 * decode of the id succeeds once the fetch did). `cause` is the last fetch's failure, if any.
 */
export class SchemaNotLoadedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_SCHEMA_NOT_LOADED';

  readonly schemaId: number;

  constructor(schemaId: number, options: GokaErrorOptions = {}) {
    const why = options.cause instanceof Error ? `: ${options.cause.message}` : '; it is being fetched, retry shortly';
    super(new.target.code, `schema id ${schemaId} is not loaded${why}`, { ...options, retriable: true });
    this.schemaId = schemaId;
  }
}

/** How an unbound schema codec was misused. */
export type UnboundCodecProblem = 'used-unbound' | 'no-registry';

/**
 * @publicApi A schema codec created without `registry` (`avro({ schema })`) was used before a
 * processor, view or emitter bound it to its topic, or was bound by a component that has no
 * `codecServices.schemaRegistry`. The message says what to do: set `GokaModule.forRoot({ schemaRegistry })`
 * (or the component's `codecServices`), or create the codec with `{ registry, topic }`.
 */
export class SchemaCodecUnboundError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_SCHEMA_CODEC_UNBOUND';

  readonly codec: string;
  readonly problem: UnboundCodecProblem;

  constructor(codec: string, problem: UnboundCodecProblem, topic?: string) {
    const fix =
      'set GokaModule.forRoot({ schemaRegistry: { url } }) (in core: the codecServices: { schemaRegistry: client } option of the ' +
      `processor, view or emitter), or create it with its registry and topic: await ${codec}({ registry, topic, schema })`;
    const message =
      problem === 'used-unbound'
        ? `the ${codec} codec was created without a registry and is not bound to a topic yet: it is bound when the processor, view or emitter using it starts; to use it on its own, ${fix.replace('set GokaModule', 'or set GokaModule')}`
        : `the ${codec} codec${topic === undefined ? '' : ` of topic "${topic}"`} needs a schema registry and its component has none: ${fix}`;
    super(new.target.code, message);
    this.codec = codec;
    this.problem = problem;
  }
}
