/**
 * A message callback of an input, loop or visitor edge (Goka's `ProcessCallback`). `message` is
 * the value decoded by the edge's codec (for visitors: the `meta` passed to `visitAll`). It may
 * return a promise; the partition worker awaits it before the next message of that partition.
 *
 * `C` is the context type handed to the callback; the graph never uses it, so the engine's
 * context interface plugs in without changing the graph (annotate `ctx` or pass `C` explicitly).
 *
 * The type is declared through a method so that its parameters are checked bivariantly: an
 * `InputEdge<string, MyContext>` is then assignable to the `Edge` union (`unknown` messages and
 * contexts) that `defineGroup` accepts, without resorting to `any`. Unrelated types still clash.
 */
export type ProcessCallback<M, C = unknown> = {
  bivarianceHack(ctx: C, message: M): void | Promise<void>;
}['bivarianceHack'];
