export type {
  GokaEmitterDefaults,
  GokaEmitterOptions,
  GokaInputTopicOptions,
  GokaProcessorDefaults,
  GokaProcessorOptions,
  GokaTopicsOptions,
  GokaViewDefaults,
  GokaViewOptions,
} from './goka-component-options.interface.js';
export type { GokaProcessorInfo, GokaViewInfo } from './goka-component-info.interface.js';
export type { GokaMessageHandler, GokaMethodDecorator, GokaVisitorHandler } from './goka-handler.interface.js';
export type { GokaEdgeMetadata, GokaHandlerMetadata, GokaInputOptions, GokaProcessorMetadata } from './goka-metadata.interface.js';
export type { GokaModuleExtras, GokaModuleOptions, GokaWaitForRecoveryOptions } from './goka-module-options.interface.js';
export type { GokaSchemaRegistryClient, GokaSchemaRegistryOptions } from './goka-schema-registry-options.interface.js';
export type {
  GokaComponentPhase,
  GokaComponentStatus,
  GokaHealthIndicatorResult,
  GokaStatus,
  GokaWaitOptions,
} from './goka-status.interface.js';
export type {
  GokaStorageFactoryOptions,
  GokaStorageMemoryOptions,
  GokaStorageOptions,
  GokaStoragePathOptions,
  GokaStorageScope,
} from './goka-storage-options.interface.js';
export type { GokaHandlerDefinition, ProcessorDefinition } from './processor-definition.interface.js';
export type {
  GokaEmitterConfig,
  RegisterEmitterAsyncOptions,
  RegisterEmitterOptions,
} from './register-emitter-options.interface.js';
export type {
  GokaViewConfig,
  GokaViewTarget,
  RegisterViewAsyncOptions,
  RegisterViewOptions,
} from './register-view-options.interface.js';
export type { GokaFeatureOptions } from './goka-feature-options.interface.js';
export type { GokaTransportHost, GokaTransportTarget } from './goka-transport-host.interface.js';
