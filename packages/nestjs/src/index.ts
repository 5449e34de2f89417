/**
 * @goka/nestjs — Goka's stream processing native to NestJS: `GokaModule`, decorated processors,
 * injectable views and emitters, lifecycle, readiness. Explicit list of the public API.
 */

// module
export { GokaModule } from './goka.module.js';
export { GOKA_MODULE_OPTIONS } from './goka.constants.js';

// decorators
export {
  defineProcessorEdges,
  InjectEmitter,
  InjectProcessor,
  InjectView,
  Input,
  Join,
  Lookup,
  Loop,
  Output,
  Persist,
  Processor,
  Visitor,
} from './decorators/index.js';
export type {
  ProcessorContext,
  ProcessorDecoratorOptions,
  ProcessorEdgeCodecs,
  ProcessorEdges,
  TypedMessageHandler,
} from './decorators/index.js';

// tokens
export { getEmitterToken, getProcessorToken, getViewToken } from './goka.tokens.js';

// runtime
export { GokaRegistry } from './goka.registry.js';
export { GokaOrchestrator } from './goka.orchestrator.js';
export { GokaHealthIndicator } from './goka.health.js';
export { GokaComponentFactory } from './goka-component.factory.js';
export { createGokaLogger } from './goka-logger.util.js';

// discovery (for tools and tests)
export { GokaExplorer } from './goka.explorer.js';
export { GokaMetadataAccessor } from './goka-metadata.accessor.js';
export { createGroupGraph, createGroupGraphs, methodCallback } from './group-graph.factory.js';
export type { GokaGraphContext, GroupNaming, ProcessCallbackFactory, ProcessorBlueprint } from './group-graph.factory.js';
export { GokaCallbackFactory, GokaParamsFactory } from './goka-callback.factory.js';

// errors
export {
  ComponentNotFoundError,
  GokaHealthCheckError,
  GokaModuleError,
  GokaNotReadyError,
  GokaOptionsError,
  ProcessorDefinitionError,
} from './errors/index.js';
export type { GokaModuleErrorCode, ProcessorDefinitionErrorDetails, ProcessorDefinitionRule } from './errors/index.js';

// interfaces
export type * from './interfaces/index.js';
