import { GroupGraph, input, inputs, join, lookup, loop, output, persist, visitor } from '@goka/core';
import type { Edge, GroupDefinition, ProcessCallback, ProcessContext } from '@goka/core';
import {
  duplicateInput,
  duplicateLoop,
  duplicatePersist,
  duplicateProcessor,
  duplicateVisitor,
  emptyGroup,
  emptyTopic,
  invalidGraph,
  missingInput,
  visitorWithoutPersist,
} from './goka.messages.js';
import { ProcessorDefinitionError } from './errors/processor-definition.error.js';
import type { GokaHandlerDefinition, ProcessorDefinition } from './interfaces/processor-definition.interface.js';
import type { GokaInputTopicOptions } from './interfaces/goka-component-options.interface.js';

/** The context type of the graphs built here. */
export type GokaGraphContext = ProcessContext<unknown>;

/**
 * Turns one handler (a method of a processor instance) into a core callback (`GokaCallbackFactory`
 * adds Nest's enhancers). The default calls
 * `instance[methodName](message, ctx)` and hands a returned promise to the worker.
 */
export type ProcessCallbackFactory = (
  definition: ProcessorDefinition,
  handler: GokaHandlerDefinition,
) => ProcessCallback<unknown, GokaGraphContext>;

/** Module-wide naming of the group topics; a processor's own suffixes win. */
export interface GroupNaming {
  readonly tableSuffix?: string | undefined;
  readonly loopSuffix?: string | undefined;
}

/** A processor definition with the group graph built from it. */
export interface ProcessorBlueprint {
  readonly definition: ProcessorDefinition;
  readonly graph: GroupGraph<GokaGraphContext>;
}

/**
 * Builds and validates the group graph of every definition (a pure function: no Nest, no Kafka).
 * Throws the first problem as a typed `ProcessorDefinitionError` naming group, class and method:
 * two processors for one group, an empty group or topic, no input, two callbacks for one input,
 * two persists, two loops, two visitors of one name, a visitor without persist, or any other rule
 * of Goka's graph validation.
 *
 * @publicApi
 */
export function createGroupGraphs(
  definitions: readonly ProcessorDefinition[],
  naming: GroupNaming = {},
  callbackFactory: ProcessCallbackFactory = methodCallback,
): ProcessorBlueprint[] {
  const byGroup = new Map<string, ProcessorDefinition>();
  for (const definition of definitions) {
    const other = byGroup.get(definition.group);
    if (other !== undefined) {
      const classNames = [other.className, definition.className];
      throw new ProcessorDefinitionError(duplicateProcessor(definition.group, classNames), {
        rule: 'duplicate-processor',
        group: definition.group,
        classNames,
      });
    }
    byGroup.set(definition.group, definition);
  }
  return definitions.map((definition) => ({
    definition,
    graph: createGroupGraph(definition, naming, callbackFactory),
  }));
}

/**
 * The `@Input(topic, codec, { create })` refinements of topic provisioning, per input topic (two
 * handlers of one topic are refused by the definition check).
 */
export function inputTopicOptions(definition: ProcessorDefinition): Map<string, GokaInputTopicOptions> {
  const found = new Map<string, GokaInputTopicOptions>();
  for (const { metadata } of definition.handlers) {
    if (metadata.kind !== 'input' || metadata.options?.create === undefined) continue;
    for (const topic of metadata.topics) found.set(topic, metadata.options.create);
  }
  return found;
}

/**
 * Builds and validates the group graph of one definition; see {@link createGroupGraphs}.
 *
 * @publicApi
 */
export function createGroupGraph(
  definition: ProcessorDefinition,
  naming: GroupNaming = {},
  callbackFactory: ProcessCallbackFactory = methodCallback,
): GroupGraph<GokaGraphContext> {
  checkDefinition(definition);
  const { group, options } = definition;
  const groupDefinition: GroupDefinition = {
    group,
    tableSuffix: options.tableSuffix ?? naming.tableSuffix,
    loopSuffix: options.loopSuffix ?? naming.loopSuffix,
  };
  const edges: Edge<GokaGraphContext>[] = [];
  // An edge refuses a wrong codec when built: the error names the class (and the handler's method).
  const build = (methodName: string | undefined, edge: () => Edge<GokaGraphContext>): void => {
    try {
      edges.push(edge());
    } catch (error) {
      throw methodName === undefined ? graphError(definition, error) : handlerError(definition, methodName, error);
    }
  };
  for (const edge of definition.edges) {
    switch (edge.kind) {
      case 'persist':
        build(undefined, () => persist(edge.codec));
        break;
      case 'join':
        build(undefined, () => join(edge.topic, edge.codec));
        break;
      case 'lookup':
        build(undefined, () => lookup(edge.topic, edge.codec));
        break;
      case 'output':
        build(undefined, () => output(edge.topic, edge.codec));
        break;
    }
  }
  for (const handler of definition.handlers) {
    const { metadata, methodName } = handler;
    const callback = callbackFactory(definition, handler);
    switch (metadata.kind) {
      case 'input':
        build(methodName, () =>
          metadata.topics.length === 1 && metadata.topics[0] !== undefined
            ? input(metadata.topics[0], metadata.codec, callback, metadata.options)
            : inputs(metadata.topics, metadata.codec, callback, metadata.options),
        );
        break;
      case 'loop':
        build(methodName, () => loop(metadata.codec, callback, metadata.options));
        break;
      case 'visitor':
        build(methodName, () => visitor(metadata.name, callback));
        break;
    }
  }
  let graph: GroupGraph<GokaGraphContext>;
  try {
    graph = new GroupGraph(groupDefinition, edges);
  } catch (error) {
    throw graphError(definition, error);
  }
  const violation = graph.validationError();
  if (violation !== undefined) throw graphError(definition, violation, violation.topic);
  return graph;
}

/**
 * The default {@link ProcessCallbackFactory}: calls the method (looked up per call, so spies work)
 * with `(message, ctx)`; a returned promise is handed to the worker, other results are ignored.
 *
 * @publicApi
 */
export function methodCallback(
  definition: ProcessorDefinition,
  handler: GokaHandlerDefinition,
): ProcessCallback<unknown, GokaGraphContext> {
  const { instance } = definition;
  const { methodName } = handler;
  return (ctx, message) => {
    const method: unknown = Reflect.get(instance, methodName);
    const result: unknown = typeof method === 'function' ? Reflect.apply(method, instance, [message, ctx]) : undefined;
    return isPromiseLike(result) ? Promise.resolve(result).then(ignore) : undefined;
  };
}

function ignore(): void {}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The rules we check ourselves, to name the class and the method (Goka's checks only know topics). */
function checkDefinition(definition: ProcessorDefinition): void {
  const { group, className, handlers, edges } = definition;
  const fail = (message: string, rule: 'empty-group' | 'empty-topic' | 'duplicate-loop' | 'duplicate-visitor', methodNames: readonly string[] = [], topic?: string): never => {
    throw new ProcessorDefinitionError(message, {
      rule,
      group,
      classNames: [className],
      methodNames,
      ...(topic === undefined ? {} : { topic }),
    });
  };
  if (typeof group !== 'string' || group === '') fail(emptyGroup(className), 'empty-group');

  const inputMethods = new Map<string, string[]>();
  const loops: string[] = [];
  const visitors = new Map<string, string[]>();
  for (const { methodName, metadata } of handlers) {
    if (metadata.kind === 'input') {
      if (metadata.topics.length === 0 || metadata.topics.some((topic) => topic === '')) {
        fail(emptyTopic(className, methodName, '@Input'), 'empty-topic', [methodName], '');
      }
      for (const topic of metadata.topics) inputMethods.set(topic, [...(inputMethods.get(topic) ?? []), methodName]);
    } else if (metadata.kind === 'loop') {
      loops.push(methodName);
    } else {
      visitors.set(metadata.name, [...(visitors.get(metadata.name) ?? []), methodName]);
    }
  }

  if (inputMethods.size === 0) {
    throw new ProcessorDefinitionError(missingInput(className, group), { rule: 'missing-input', group, classNames: [className] });
  }
  for (const [topic, methods] of inputMethods) {
    if (methods.length > 1) {
      throw new ProcessorDefinitionError(duplicateInput(className, group, topic, methods), {
        rule: 'duplicate-input',
        group,
        classNames: [className],
        methodNames: methods,
        topic,
      });
    }
  }
  const persists = edges.filter((edge) => edge.kind === 'persist').length;
  if (persists > 1) {
    throw new ProcessorDefinitionError(duplicatePersist(className, group, persists), { rule: 'duplicate-persist', group, classNames: [className] });
  }
  if (loops.length > 1) fail(duplicateLoop(className, group, loops), 'duplicate-loop', loops);
  for (const [name, methods] of visitors) {
    const [method] = methods;
    if (persists === 0 && method !== undefined) {
      throw new ProcessorDefinitionError(visitorWithoutPersist(className, group, method, name), {
        rule: 'visitor-without-persist',
        group,
        classNames: [className],
        methodNames: [method],
        topic: name,
      });
    }
    if (methods.length > 1) fail(duplicateVisitor(className, group, name, methods), 'duplicate-visitor', methods, name);
  }
}

/** Wraps the error of a handler's edge (e.g. a wrong codec), naming the class and the method. */
function handlerError(definition: ProcessorDefinition, methodName: string, error: unknown): ProcessorDefinitionError {
  const { group, className } = definition;
  const detail = error instanceof Error ? error.message : String(error);
  return new ProcessorDefinitionError(
    `${invalidGraph(className, group, detail)} (${className}.${methodName})`,
    { rule: 'invalid-graph', group, classNames: [className], methodNames: [methodName] },
    { cause: error },
  );
}

/** Wraps a core graph error, naming the class and, for an input topic, its method. */
function graphError(definition: ProcessorDefinition, error: unknown, topic?: string): ProcessorDefinitionError {
  const { group, className, handlers } = definition;
  const methodNames = handlers
    .filter(({ metadata }) => metadata.kind === 'input' && topic !== undefined && metadata.topics.includes(topic))
    .map(({ methodName }) => methodName);
  const detail = error instanceof Error ? error.message : String(error);
  const where = methodNames.length === 0 ? '' : ` (${methodNames.map((method) => `${className}.${method}`).join(', ')})`;
  return new ProcessorDefinitionError(
    invalidGraph(className, group, detail) + where,
    { rule: 'invalid-graph', group, classNames: [className], methodNames, ...(topic === undefined ? {} : { topic }) },
    { cause: error },
  );
}
