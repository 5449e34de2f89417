import type { Codec } from '@goka/core';

/** @publicApi A codec in the Confluent wire format, bound to one subject and the schema it encodes with. */
export interface SchemaCodec<T> extends Codec<T> {
  readonly name: string;
  /** The subject the codec registered (or looked up) its schema under. */
  readonly subject: string;
  /** The id of the schema `encode` writes. */
  readonly schemaId: number;
}
