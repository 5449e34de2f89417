/**
 * Injection tokens of the named handles GokaModule provides. Strings, not symbols: they are readable
 * in Nest's error messages and stay equal when two copies of this package are loaded.
 */

/** @publicApi Token of the `View` registered for a table topic. */
export function getViewToken(table: string): string {
  return `GokaView:${table}`;
}

/** @publicApi Token of the `Emitter` registered for a topic. */
export function getEmitterToken(topic: string): string {
  return `GokaEmitter:${topic}`;
}

/** @publicApi Token of the `Processor` running a group. */
export function getProcessorToken(group: string): string {
  return `GokaProcessor:${group}`;
}
