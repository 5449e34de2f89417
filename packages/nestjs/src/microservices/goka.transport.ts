import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { transportEventsUnsupported, transportNotConnected } from '../goka.messages.js';
import type { GokaRegistry } from '../goka.registry.js';
import { GokaModuleError } from '../errors/goka-module.error.js';
import type { GokaTransportHost, GokaTransportTarget } from '../interfaces/goka-transport-host.interface.js';

/**
 * Runs the processors of an application's `GokaModule` as a Nest microservice: the custom transport
 * strategy of `NestFactory.createMicroservice(AppModule, { strategy: new GokaTransport() })` or
 * `app.connectMicroservice({ strategy: new GokaTransport() })`. `GokaModule` finds the strategy
 * among the application's RPC targets; `listen` (`app.listen()` / `app.startAllMicroservices()`)
 * starts every processor and view and reports once they are started (recovered too with
 * `waitForRecovery`), `close` stops them gracefully (in-flight messages finish and commit, emitters
 * flush). With `GokaModule.forRoot({ manualRegistration: true, ... })` nothing runs before `listen`;
 * otherwise processors start on bootstrap already and `listen` waits for that start.
 *
 * `@Input` handlers run through Nest's RPC context whether or not this transport is used:
 * `@UseInterceptors`, `@UseGuards`, `@UsePipes` and `@UseFilters` apply, and enhancers read the
 * message with `context.switchToRpc().getData()` and the `ProcessContext` with `.getContext()` (as
 * `KafkaContext` for Nest's Kafka transport). `@MessagePattern` / `@EventPattern` handlers are not
 * served by this transport.
 *
 * @publicApi
 */
export class GokaTransport
  extends Server
  implements CustomTransportStrategy, GokaTransportTarget
{
  #host: GokaTransportHost | undefined;

  /** Called by `GokaModule` when the application registers this strategy. */
  attachGokaHost(host: GokaTransportHost): void {
    this.#host = host;
  }

  /** Starts the processors and views; `callback` gets the error when they fail to start. */
  listen(callback: (error?: unknown) => void): void {
    const host = this.#host;
    if (host === undefined) {
      callback(new GokaModuleError('GOKA_TRANSPORT_NOT_CONNECTED', transportNotConnected()));
      return;
    }
    host.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops the processors (graceful), views and emitters. */
  async close(): Promise<void> {
    await this.#host?.stop();
  }

  /** The application's `GokaRegistry`. */
  unwrap<T = GokaRegistry>(): T {
    const host = this.#host;
    if (host === undefined) throw new GokaModuleError('GOKA_TRANSPORT_NOT_CONNECTED', transportNotConnected());
    return host.registry as T;
  }

  /** Not supported: Goka components report through `GokaRegistry.status()`. */
  on(event: string): never {
    throw new GokaModuleError('GOKA_TRANSPORT_UNSUPPORTED', transportEventsUnsupported(event));
  }
}
