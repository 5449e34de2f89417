import type { ProcessCallback } from '@goka/core';
import { Injectable } from '@nestjs/common';
import type { ParamData } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { ApplicationConfig, ExternalContextCreator } from '@nestjs/core';
import type { ParamsFactory } from '@nestjs/core';
import { methodCallback } from './group-graph.factory.js';
import type { GokaGraphContext } from './group-graph.factory.js';
import type { GokaHandlerDefinition, ProcessorDefinition } from './interfaces/processor-definition.interface.js';

/** What `@UseGuards`, `@UseInterceptors`, `@UsePipes` and `@UseFilters` write. */
const ENHANCER_METADATA = [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA];

/** The parameter types of `@nestjs/microservices`' `@Payload()` and `@Ctx()` (its `RpcParamtype`). */
const RPC_PAYLOAD = 3;
const RPC_CONTEXT = 6;

/**
 * Where the callback factory puts the parameters of a handler without `@Payload()` / `@Ctx()`:
 * `@nestjs/microservices`' `DEFAULT_CALLBACK_METADATA` (`(message, ctx)` as `@Payload() message,
 * @Ctx() ctx`), so that pipes see the message of a plain handler as they do in a microservice.
 */
const GOKA_DEFAULT_ARGS_METADATA = 'goka:default-handler-args';
const DEFAULT_HANDLER_ARGS = Object.freeze({
  [`${RPC_PAYLOAD}:0`]: { index: 0, data: undefined, pipes: [] },
  [`${RPC_CONTEXT}:1`]: { index: 1, data: undefined, pipes: [] },
});

/**
 * Resolves handler parameters decorated like RPC handlers, with the same metadata as
 * `@nestjs/microservices`' `@Payload(property?, ...pipes)` (the decoded message, or one property of
 * it) and `@Ctx()` (the `ProcessContext`). Arguments are `[message, ctx]`.
 *
 * @publicApi
 */
export class GokaParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, data: ParamData, args: unknown): unknown {
    const [message, ctx] = Array.isArray(args) ? (args as unknown[]) : [];
    if (type === RPC_PAYLOAD) {
      return typeof data === 'string' && typeof message === 'object' && message !== null ? Reflect.get(message, data) : message;
    }
    return type === RPC_CONTEXT ? ctx : undefined;
  }
}

/**
 * Turns `@Input`, `@Loop` and `@Visitor` methods into core callbacks. Handlers run through Nest's
 * RPC execution context (`ExternalContextCreator`, context type `rpc`), like microservice
 * handlers: global enhancers (`APP_GUARD`, `APP_INTERCEPTOR`, `APP_PIPE`, `APP_FILTER` providers
 * and `app.useGlobalGuards/Interceptors/Pipes/Filters(...)` called before `app.init()`/`listen()`)
 * and the handler's own `@UseGuards`, `@UseInterceptors`, `@UsePipes`, `@UseFilters` apply to every
 * handler. Enhancers get `context.switchToRpc().getData()` (the message) and `.getContext()` (the
 * `ProcessContext`); `context.getType()` is `'rpc'`, so an HTTP-only global enhancer should let
 * other context types through. `@Payload()` / `@Ctx()` parameters (of `@nestjs/microservices`, or
 * anything writing the same metadata) are resolved through pipes; a handler without them is read
 * as `(@Payload() message, @Ctx() ctx)`, as microservices do, so a global pipe sees its message
 * (`metadata.type` `'body'`). As in microservices, pipes see every such parameter: the
 * `ProcessContext` too, as `metadata.type` `'custom'` (which `ValidationPipe` leaves alone unless
 * `validateCustomDecorators` is set).
 *
 * When the application has no global enhancer at all and the handler neither enhancers nor
 * decorated parameters of its own, the method is called directly (the synchronous fast path;
 * measured by `pnpm bench:nest-callbacks`).
 *
 * An exception filter that returns a value other than `undefined` (e.g. `null`) handles the error:
 * the message counts as processed and is committed (a skip or dead-letter policy). A filter that
 * throws or returns `undefined` (Nest's "not handled"), or no filter, fails the processor as any
 * callback error does.
 *
 * @publicApi
 */
@Injectable()
export class GokaCallbackFactory {
  readonly #params = new GokaParamsFactory();

  constructor(private readonly externalContextCreator: ExternalContextCreator) {}

  /** The core callback of one handler (a `ProcessCallbackFactory`). */
  readonly create = (
    definition: ProcessorDefinition,
    handler: GokaHandlerDefinition,
  ): ProcessCallback<unknown, GokaGraphContext> => {
    const { instance } = definition;
    const { methodName } = handler;
    const method: unknown = Reflect.get(instance, methodName);
    if (typeof method !== 'function') return methodCallback(definition, handler);
    const decorated = hasDecoratedParams(instance, methodName);
    if (!decorated && !this.hasGlobalEnhancers() && !hasEnhancers(instance, method)) return methodCallback(definition, handler);
    if (!decorated && Reflect.getMetadata(GOKA_DEFAULT_ARGS_METADATA, instance.constructor, methodName) === undefined) {
      Reflect.defineMetadata(GOKA_DEFAULT_ARGS_METADATA, DEFAULT_HANDLER_ARGS, instance.constructor, methodName);
    }
    const run = this.externalContextCreator.create(
      instance,
      method as (...args: unknown[]) => unknown,
      methodName,
      decorated ? ROUTE_ARGS_METADATA : GOKA_DEFAULT_ARGS_METADATA,
      this.#params,
      undefined,
      undefined,
      undefined,
      'rpc',
    );
    return (ctx, message) => run(message, ctx).then(ignore);
  };

  /**
   * Whether the application has any global enhancer, static or request-scoped. Read from the
   * `ApplicationConfig` the `ExternalContextCreator` applies (Nest injects neither directly). When
   * it cannot be found (another Nest version), every handler takes the enhancer pipeline: slower,
   * never wrong.
   */
  private hasGlobalEnhancers(): boolean {
    const config = applicationConfigOf(this.externalContextCreator);
    if (config === undefined) return true;
    return (
      config.getGlobalGuards().length > 0 ||
      config.getGlobalInterceptors().length > 0 ||
      config.getGlobalPipes().length > 0 ||
      config.getGlobalFilters().length > 0 ||
      config.getGlobalRequestGuards().length > 0 ||
      config.getGlobalRequestInterceptors().length > 0 ||
      config.getGlobalRequestPipes().length > 0 ||
      config.getGlobalRequestFilters().length > 0
    );
  }
}

function ignore(): void {}

/**
 * The `ApplicationConfig` behind an `ExternalContextCreator`: its container's (the creator keeps
 * the container it was made from), or the one its guards context creator reads.
 */
function applicationConfigOf(creator: ExternalContextCreator): ApplicationConfig | undefined {
  const container: unknown = Reflect.get(creator, 'container');
  const fromContainer: unknown = typeof container === 'object' && container !== null ? Reflect.get(container, 'applicationConfig') : undefined;
  if (fromContainer instanceof ApplicationConfig) return fromContainer;
  const guards: unknown = Reflect.get(creator, 'guardsContextCreator');
  const fromGuards: unknown = typeof guards === 'object' && guards !== null ? Reflect.get(guards, 'config') : undefined;
  return fromGuards instanceof ApplicationConfig ? fromGuards : undefined;
}

/** Whether the method has parameters decorated like `@Payload()` / `@Ctx()`. */
function hasDecoratedParams(instance: object, methodName: string): boolean {
  const params: unknown = Reflect.getMetadata(ROUTE_ARGS_METADATA, instance.constructor, methodName);
  return typeof params === 'object' && params !== null && Object.keys(params).length > 0;
}

/** Whether the method or its class has enhancers of its own. */
function hasEnhancers(instance: object, method: Function): boolean {
  return ENHANCER_METADATA.some((key) => {
    const local: unknown = Reflect.getMetadata(key, method) ?? Reflect.getMetadata(key, instance.constructor);
    return Array.isArray(local) && local.length > 0;
  });
}
