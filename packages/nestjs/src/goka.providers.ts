import type { Emitter, View } from '@goka/core';
import type { FactoryProvider, Provider, Type } from '@nestjs/common';
import { GOKA_PROCESSOR_METADATA } from './goka.constants.js';
import { notAProcessorClass } from './goka.messages.js';
import { GokaRegistrar } from './goka.registrar.js';
import { GokaRegistry } from './goka.registry.js';
import { getEmitterToken, getProcessorToken, getViewToken } from './goka.tokens.js';
import { GokaComponentFactory } from './goka-component.factory.js';
import { createProcessorRef } from './goka-processor-ref.util.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type { GokaFeatureOptions } from './interfaces/goka-feature-options.interface.js';
import type { GokaProcessorMetadata } from './interfaces/goka-metadata.interface.js';
import type {
  GokaEmitterConfig,
  RegisterEmitterAsyncOptions,
  RegisterEmitterOptions,
} from './interfaces/register-emitter-options.interface.js';
import type {
  GokaViewConfig,
  GokaViewTarget,
  RegisterViewAsyncOptions,
  RegisterViewOptions,
} from './interfaces/register-view-options.interface.js';

/** The name a view is registered (and injected) under: its table, or its group. */
export function viewName(target: GokaViewTarget): string {
  return target.table ?? target.group;
}

/** Token of the config computed by `registerViewAsync`'s factory. */
const viewConfigToken = (name: string): string => `GokaViewConfig:${name}`;

/** Token of the config computed by `registerEmitterAsync`'s factory. */
const emitterConfigToken = (topic: string): string => `GokaEmitterConfig:${topic}`;

function createView(
  target: GokaViewTarget,
  config: GokaViewConfig,
  factory: GokaComponentFactory,
  registrar: GokaRegistrar,
): View<unknown> {
  const name = viewName(target);
  const table = target.table ?? factory.tableTopic(target.group);
  return registrar.addView(
    name,
    table,
    config.codec,
    () => factory.createView(table, config.codec, config.options),
    factory.viewRestartPolicy(config.options),
  );
}

function createEmitter(
  topic: string,
  config: GokaEmitterConfig,
  factory: GokaComponentFactory,
  registrar: GokaRegistrar,
): Emitter<unknown> {
  return registrar.addEmitter(topic, config.codec, () => factory.createEmitter(topic, config.codec, config.options, config.create));
}

/** The provider of `getViewToken(name)` for `GokaModule.registerView`. */
export function createViewProviders<V>(options: RegisterViewOptions<V>): Provider[] {
  const target: GokaViewTarget = options.table === undefined ? { group: options.group } : { table: options.table };
  const config: GokaViewConfig = { codec: options.codec, ...(options.options === undefined ? {} : { options: options.options }) };
  return [
    {
      provide: getViewToken(viewName(target)),
      useFactory: (factory: GokaComponentFactory, registrar: GokaRegistrar) => createView(target, config, factory, registrar),
      inject: [GokaComponentFactory, GokaRegistrar],
    },
  ];
}

/** The providers of `getViewToken(name)` for `GokaModule.registerViewAsync`. */
export function createViewAsyncProviders<V>(options: RegisterViewAsyncOptions<V>): Provider[] {
  const target: GokaViewTarget = options.table === undefined ? { group: options.group } : { table: options.table };
  const name = viewName(target);
  const configProvider: FactoryProvider = {
    provide: viewConfigToken(name),
    useFactory: options.useFactory as FactoryProvider['useFactory'],
    inject: options.inject ?? [],
  };
  return [
    configProvider,
    {
      provide: getViewToken(name),
      useFactory: (config: GokaViewConfig, factory: GokaComponentFactory, registrar: GokaRegistrar) =>
        createView(target, config, factory, registrar),
      inject: [viewConfigToken(name), GokaComponentFactory, GokaRegistrar],
    },
  ];
}

/** The provider of `getEmitterToken(topic)` for `GokaModule.registerEmitter`. */
export function createEmitterProviders<V>(options: RegisterEmitterOptions<V>): Provider[] {
  const { topic } = options;
  const config: GokaEmitterConfig = {
    codec: options.codec,
    ...(options.options === undefined ? {} : { options: options.options }),
    ...(options.create === undefined ? {} : { create: options.create }),
  };
  return [
    {
      provide: getEmitterToken(topic),
      useFactory: (factory: GokaComponentFactory, registrar: GokaRegistrar) => createEmitter(topic, config, factory, registrar),
      inject: [GokaComponentFactory, GokaRegistrar],
    },
  ];
}

/** The providers of `getEmitterToken(topic)` for `GokaModule.registerEmitterAsync`. */
export function createEmitterAsyncProviders<V>(options: RegisterEmitterAsyncOptions<V>): Provider[] {
  const { topic } = options;
  return [
    {
      provide: emitterConfigToken(topic),
      useFactory: options.useFactory as FactoryProvider['useFactory'],
      inject: options.inject ?? [],
    },
    {
      provide: getEmitterToken(topic),
      useFactory: (config: GokaEmitterConfig, factory: GokaComponentFactory, registrar: GokaRegistrar) =>
        createEmitter(topic, config, factory, registrar),
      inject: [emitterConfigToken(topic), GokaComponentFactory, GokaRegistrar],
    },
  ];
}

/** The group of a `@Processor` class (read at module definition time, before any DI). */
function processorGroup(type: Type): string {
  const metadata = Reflect.getMetadata(GOKA_PROCESSOR_METADATA, type) as GokaProcessorMetadata | undefined;
  if (metadata === undefined) throw new GokaOptionsError(notAProcessorClass(type.name));
  return metadata.group;
}

/** The groups `GokaModule.forFeature` provides `Processor` handles for, without duplicates. */
export function featureGroups(options: GokaFeatureOptions): string[] {
  return [...new Set([...(options.processors ?? []).map(processorGroup), ...(options.groups ?? [])])];
}

/**
 * The providers of `GokaModule.forFeature`: the `@Processor` classes, and `getProcessorToken(group)`
 * of each group, a handle forwarding to the `Processor` the registry holds once the module
 * initialized (see `createProcessorRef`).
 */
export function createProcessorProviders(options: GokaFeatureOptions): Provider[] {
  return [
    ...(options.processors ?? []),
    ...featureGroups(options).map(
      (group): Provider => ({
        provide: getProcessorToken(group),
        useFactory: (registry: GokaRegistry) => createProcessorRef(registry, group),
        inject: [GokaRegistry],
      }),
    ),
  ];
}
