import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { scopedProcessor } from './goka.messages.js';
import { GokaMetadataAccessor } from './goka-metadata.accessor.js';
import { ProcessorDefinitionError } from './errors/processor-definition.error.js';
import type { GokaHandlerDefinition, ProcessorDefinition } from './interfaces/processor-definition.interface.js';

/**
 * Finds every `@Processor` provider of the application and describes it as plain data (a
 * {@link ProcessorDefinition}): no Kafka, no graph, no side effects. Request-scoped or transient
 * processors are rejected (stream callbacks have no request).
 *
 * @publicApi
 */
@Injectable()
export class GokaExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: GokaMetadataAccessor,
  ) {}

  /**
   * The definitions of every `@Processor` provider, in module order.
   * @throws ProcessorDefinitionError (rule `scoped-processor`) for a non-singleton processor
   */
  explore(): ProcessorDefinition[] {
    const seen = new Set<object>();
    const definitions: ProcessorDefinition[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const definition = this.describe(wrapper);
      if (definition === undefined || seen.has(definition.instance)) continue;
      seen.add(definition.instance);
      definitions.push(definition);
    }
    return definitions;
  }

  /** The definition of one provider, or `undefined` when it is not a processor. */
  private describe(wrapper: InstanceWrapper): ProcessorDefinition | undefined {
    if (wrapper.isAlias) return undefined;
    const instance: unknown = wrapper.instance;
    // useClass providers: the metatype; useValue / useFactory providers: the instance's class.
    const type: unknown =
      typeof instance === 'object' && instance !== null ? instance.constructor : wrapper.metatype;
    if (typeof type !== 'function') return undefined;
    const metadata = this.accessor.getProcessorMetadata(type);
    if (metadata === undefined) return undefined;
    const className = type.name;
    if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
      throw new ProcessorDefinitionError(scopedProcessor(className, metadata.group), {
        rule: 'scoped-processor',
        group: metadata.group,
        classNames: [className],
      });
    }
    if (typeof instance !== 'object' || instance === null) return undefined;
    return {
      group: metadata.group,
      className,
      instance,
      options: metadata.options,
      edges: this.accessor.getEdges(type),
      handlers: this.handlersOf(instance),
    };
  }

  private handlersOf(instance: object): GokaHandlerDefinition[] {
    const prototype: unknown = Object.getPrototypeOf(instance);
    if (typeof prototype !== 'object' || prototype === null) return [];
    return this.scanner.getAllMethodNames(prototype).flatMap((methodName) => {
      const method: unknown = Reflect.get(prototype, methodName);
      if (typeof method !== 'function') return [];
      return this.accessor.getHandlers(method).map((metadata) => ({ methodName, metadata }));
    });
  }
}
