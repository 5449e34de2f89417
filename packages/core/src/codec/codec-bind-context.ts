/**
 * What a component hands its codecs' `bind` (a plain record, e.g. `{ schemaRegistry: client }`): core
 * only passes it on; the codecs that need a service know its key.
 */
export type CodecServices = Readonly<Record<string, unknown>>;

/** Where a codec is used: what {@link Codec.bind} learns from the edge. */
export interface CodecBindContext {
  /** The topic of the edge (a group table's `<group>-table`, a loop's `<group>-loop`). */
  readonly topic: string;
  /** Whether the codec encodes keys rather than values (core's edges have value codecs only). */
  readonly isKey: boolean;
  /** The processor group of the edge; `undefined` for a view or an emitter. */
  readonly group: string | undefined;
  /** The component's `codecServices` option (`{}` when it has none). */
  readonly codecServices: CodecServices;
}
