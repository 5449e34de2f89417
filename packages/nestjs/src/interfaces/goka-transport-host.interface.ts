import type { GokaRegistry } from '../goka.registry.js';

/**
 * What `GokaModule` hands a transport strategy (`GokaTransport`) registered with the application:
 * start and stop its processors and views.
 *
 * @publicApi
 */
export interface GokaTransportHost {
  /** The registry of the application. */
  readonly registry: GokaRegistry;
  /** Starts every processor and view (idempotent); waits for recovery when the module asks to. */
  start(): Promise<void>;
  /** Stops processors (in-flight messages finish and commit), views and emitters (idempotent). */
  stop(): Promise<void>;
}

/**
 * A transport strategy `GokaModule` connects to: an RPC target of the application (`strategy` of
 * `NestFactory.createMicroservice` / `app.connectMicroservice`) with this method.
 *
 * @publicApi
 */
export interface GokaTransportTarget {
  attachGokaHost(host: GokaTransportHost): void;
}
