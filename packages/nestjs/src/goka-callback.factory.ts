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
import { ExternalContextCreator } from '@nestjs/core';
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
 * Turns `@Input`, `@Loop` and `@Visitor` methods into core callbacks. A method whose class or
 * itself carries `@UseGuards`, `@UseInterceptors`, `@UsePipes` or `@UseFilters` runs through Nest's
 * RPC execution context (`ExternalContextCreator`, context type `rpc`), like a microservice
 * handler: enhancers get `context.switchToRpc().getData()` (the message) and `.getContext()` (the
 * `ProcessContext`), global enhancers apply too, and `@Payload()` / `@Ctx()` parameters (of
 * `@nestjs/microservices`, or anything writing the same metadata) are resolved through pipes; as in
 * Nest's external contexts, `@UsePipes` pipes see every decorated parameter. Other methods are
 * called directly (the synchronous fast path).
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
    if (typeof method !== 'function' || !hasEnhancers(instance, method, methodName)) return methodCallback(definition, handler);
    const run = this.externalContextCreator.create(
      instance,
      method as (...args: unknown[]) => unknown,
      methodName,
      ROUTE_ARGS_METADATA,
      this.#params,
      undefined,
      undefined,
      undefined,
      'rpc',
    );
    return (ctx, message) => run(message, ctx).then(ignore);
  };
}

function ignore(): void {}

/** Whether the method or its class has enhancers, or the method has decorated parameters. */
function hasEnhancers(instance: object, method: Function, methodName: string): boolean {
  const params: unknown = Reflect.getMetadata(ROUTE_ARGS_METADATA, instance.constructor, methodName);
  if (typeof params === 'object' && params !== null && Object.keys(params).length > 0) return true;
  return ENHANCER_METADATA.some((key) => {
    const local: unknown = Reflect.getMetadata(key, method) ?? Reflect.getMetadata(key, instance.constructor);
    return Array.isArray(local) && local.length > 0;
  });
}
