/**
 * Prepends `entry` to the array stored under `key` on `target` (a class or a method). Stacked
 * decorators run bottom-up, so prepending keeps the entries in the order they are written. A
 * subclass gets a new array (its parent's entries follow its own); the parent's is not touched.
 */
export function prependMetadata<T>(key: string, entry: T, target: object): void {
  const previous: unknown = Reflect.getMetadata(key, target);
  const list: readonly T[] = Array.isArray(previous) ? (previous as T[]) : [];
  Reflect.defineMetadata(key, Object.freeze([entry, ...list]), target);
}
