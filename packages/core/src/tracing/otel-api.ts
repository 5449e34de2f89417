import { createRequire } from 'node:module';
import type * as OtelApiModule from '@opentelemetry/api';
import type { Tracer, TracerProvider } from '@opentelemetry/api';

/** The `@opentelemetry/api` module. */
export type OtelApi = typeof OtelApiModule;

/** The name Goka's tracer is registered under. */
export const TRACER_NAME = '@goka/core';

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` when the application installed it (an optional peer dependency), loaded once.
 * Loaded with `require`: a static import would fail without it, and a top-level `await import()`
 * would break `require('@goka/core')`. The API keeps its registrations on `globalThis`, so this copy
 * sees the provider the application registered through its own import.
 */
export function otelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** The global provider as the API registers it: a proxy that knows whether a real provider is behind it. */
interface DelegatingProvider extends TracerProvider {
  getDelegateTracer?(name: string): Tracer | undefined;
}

/**
 * Goka's tracer when tracing is on: `enabled` is not `false`, the API is installed and the
 * application registered a tracer provider. `undefined` otherwise — then nothing is traced and the
 * hot paths test only this. Cheap (no allocation); called once per batch, not per message.
 */
export function activeTracer(enabled: boolean | undefined): Tracer | undefined {
  if (enabled === false) return undefined;
  const api = otelApi();
  if (api === undefined) return undefined;
  const provider = api.trace.getTracerProvider() as DelegatingProvider;
  // The global provider is always the API's ProxyTracerProvider (duck-typed: the application's copy
  // of the API may be another module instance); without a registered delegate it only makes no-op spans.
  if (typeof provider.getDelegateTracer === 'function') return provider.getDelegateTracer(TRACER_NAME);
  return provider.getTracer(TRACER_NAME);
}
