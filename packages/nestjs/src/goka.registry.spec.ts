import { codecs, MemoryKafka, View } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { GokaRegistrar } from './goka.registrar.js';
import { GokaRegistry } from './goka.registry.js';
import { ComponentNotFoundError } from './errors/component-not-found.error.js';
import { GokaNotReadyError } from './errors/goka-not-ready.error.js';
import { GokaOptionsError } from './errors/goka-options.error.js';

describe('GokaRegistry', () => {
  const kafka = new MemoryKafka();
  const view = (table: string): View<number> => new View(table, codecs.int64, { kafka });

  it('names what is registered when a lookup misses', () => {
    const registrar = new GokaRegistrar();
    const registry = new GokaRegistry(registrar);
    registrar.addView('clicks', 'clicks-table', codecs.int64, () => view('clicks-table'));
    expect(() => registry.getView('nope')).toThrow(ComponentNotFoundError);
    expect(() => registry.getView('nope')).toThrow(/no Goka view "nope" is registered \(registered: "clicks", "clicks-table"\)/);
    expect(() => registry.getProcessor('nope')).toThrow(/decorate a provider with @Processor\(group\)/);
    expect(() => registry.getEmitter('nope')).toThrow(/GokaModule\.registerEmitter/);
  });

  it('shares one view per table across names, and refuses another codec for it', () => {
    const registrar = new GokaRegistrar();
    const registry = new GokaRegistry(registrar);
    const first = registrar.addView('clicks', 'clicks-table', codecs.int64, () => view('clicks-table'));
    const again = registrar.addView('clicks-table', 'clicks-table', codecs.int64, () => view('clicks-table'));
    expect(again).toBe(first);
    expect(registry.getViews()).toHaveLength(1);
    expect(() => registrar.addView('x', 'clicks-table', codecs.string, () => new View('clicks-table', codecs.string, { kafka }))).toThrow(
      GokaOptionsError,
    );
  });

  it('waits for readiness until a timeout, naming what is not ready, or until aborted', async () => {
    const registrar = new GokaRegistrar();
    const registry = new GokaRegistry(registrar);
    await expect(registry.waitForReady()).resolves.toBeUndefined(); // nothing registered: ready
    registrar.addView('clicks', 'clicks-table', codecs.int64, () => view('clicks-table'));
    const timedOut = registry.waitForReady({ timeoutMs: 1 });
    await expect(timedOut).rejects.toBeInstanceOf(GokaNotReadyError);
    await expect(timedOut).rejects.toThrow(/gave up waiting after 1 ms; view of "clicks-table" is created \(idle\)/);
    const controller = new AbortController();
    const aborted = registry.waitForReady({ signal: controller.signal });
    controller.abort(new Error('enough'));
    await expect(aborted).rejects.toThrow('enough');
  });
});
