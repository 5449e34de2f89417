import type { GokaProcessorOptions } from './goka-component-options.interface.js';
import type { GokaEdgeMetadata, GokaHandlerMetadata } from './goka-metadata.interface.js';

/**
 * A method of a processor class with one of its `@Input`, `@Loop` or `@Visitor` decorations.
 *
 * @publicApi
 */
export interface GokaHandlerDefinition {
  /** The method name (`Class.method` in error messages). */
  readonly methodName: string;
  readonly metadata: GokaHandlerMetadata;
}

/**
 * A discovered `@Processor` class as plain data: what `GokaExplorer` returns and the group-graph
 * factory turns into a core `GroupGraph`. No Kafka, no side effects.
 *
 * @publicApi
 */
export interface ProcessorDefinition {
  readonly group: string;
  /** The class name, for error messages. */
  readonly className: string;
  /** The provider instance whose methods the callbacks call. */
  readonly instance: object;
  readonly options: GokaProcessorOptions;
  /** Class edges (`@Persist`, `@Join`, `@Lookup`, `@Output`), in declaration order. */
  readonly edges: readonly GokaEdgeMetadata[];
  /** Method decorations, in method order and declaration order. */
  readonly handlers: readonly GokaHandlerDefinition[];
}
