import { Processor } from '@goka/core';
import { processorNotCreated } from './goka.messages.js';
import { GokaRegistry } from './goka.registry.js';
import { ComponentNotFoundError } from './errors/component-not-found.error.js';

/**
 * The value of `getProcessorToken(group)`: a stand-in for the `Processor` of `group`, which
 * `GokaOrchestrator` creates only in `onModuleInit`, after Nest resolved every constructor
 * dependency. Every property read is forwarded to the registry's processor (methods bound to it),
 * so the handle behaves as the processor once it exists (`instanceof Processor` holds throughout).
 *
 * Before that, methods can already be taken (they look the processor up when called) and probes
 * of absent members (`then`, Nest's lifecycle hooks, `constructor`) answer like an empty
 * `Processor`; reading a getter (`state`, `group`, ...) throws a `ComponentNotFoundError`.
 */
export function createProcessorRef<V>(registry: GokaRegistry, group: string): Processor<V> {
  const target: object = Object.create(Processor.prototype) as object;
  const resolve = (member: string): Processor<unknown> => {
    const processor = registry.findProcessor(group);
    if (processor === undefined) throw new ComponentNotFoundError(processorNotCreated(group, member), 'processor', group);
    return processor;
  };
  const handler: ProxyHandler<object> = {
    get(proxyTarget, property) {
      // Awaiting a factory's result probes `then`: the handle is not a thenable.
      if (property === 'then') return undefined;
      const processor = registry.findProcessor(group);
      if (processor !== undefined) {
        const value: unknown = Reflect.get(processor, property, processor);
        return typeof value === 'function' && property !== 'constructor' ? (value as Function).bind(processor) : value;
      }
      const descriptor = findDescriptor(Processor.prototype, property);
      if (descriptor === undefined) return undefined;
      if (typeof descriptor.value === 'function' && property !== 'constructor') {
        const name = String(property);
        return (...args: unknown[]): unknown => {
          const resolved = resolve(name);
          const method: unknown = Reflect.get(resolved, property, resolved);
          return (method as (...params: unknown[]) => unknown).apply(resolved, args);
        };
      }
      // A getter needs the processor's state: fails with a message naming the group.
      if (descriptor.get !== undefined) resolve(String(property));
      return Reflect.get(proxyTarget, property);
    },
    has(_proxyTarget, property) {
      const processor = registry.findProcessor(group);
      return processor === undefined ? property in Processor.prototype : property in processor;
    },
    set() {
      return false;
    },
  };
  return new Proxy(target, handler) as Processor<V>;
}

function findDescriptor(prototype: object | null, property: string | symbol): PropertyDescriptor | undefined {
  for (let current = prototype; current !== null; current = Object.getPrototypeOf(current) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(current, property);
    if (descriptor !== undefined) return descriptor;
  }
  return undefined;
}
