import avsc from 'avsc';
import type { Schema, Type } from 'avsc';
import { CodecError } from '@goka/core';
import { DecoderCache, preloadSubject, resolveWriter } from '../schema-codec-base.js';
import type { SchemaCodecOptions } from '../schema-codec-base.js';
import { subjectName } from '../subject.js';
import { HEADER_SIZE, frame, schemaIdOf } from '../wire-format.js';
import type { SchemaCodec } from './schema-codec.js';
import { unboundCodec } from './unbound-codec.js';
import type { UnboundCodecOptions, UnboundSchemaCodec } from './unbound-codec.js';

const NAME = 'avro';

/** Options of {@link avro}. */
export interface AvroCodecOptions extends SchemaCodecOptions {
  /**
   * The Avro schema (object, `as const` object, or JSON text): what `encode` writes and what `decode`
   * returns (the reader's schema). avsc checks it when the codec is created.
   */
  readonly schema: Schema | Readonly<Record<string, unknown>> | string;
}

function failure(operation: 'encode' | 'decode', error: unknown): CodecError {
  return new CodecError({ codec: NAME, operation, reason: error instanceof Error ? error.message : String(error), cause: error });
}

/**
 * @publicApi An Avro codec in the Confluent wire format. Created asynchronously: it registers its schema
 * (or looks it up, `autoRegister: false`) and loads the subject's versions first, so that `encode` and
 * `decode` stay synchronous like every codec. `decode` resolves the record's writer schema (by the id
 * in the bytes) to this codec's schema, so a record written with an older or newer version reads as `T`
 * (Avro schema evolution: added fields with defaults, removed fields, promotions).
 */
export function avro<T>(options: AvroCodecOptions): Promise<SchemaCodec<T>>;
/**
 * Without `registry` (and `topic`): an unbound codec, returned at once, for decorators and module
 * definitions. The processor, view or emitter that uses it binds it when it starts, with the
 * registry of its `codecServices.schemaRegistry` (`GokaModule.forRoot({ schemaRegistry })`) and the
 * edge's topic (`<topic>-value` / `-key` under the default strategy), to the codec the awaited form makes.
 */
export function avro<T>(options: UnboundCodecOptions<AvroCodecOptions>): UnboundSchemaCodec<T>;
export function avro<T>(options: AvroCodecOptions | UnboundCodecOptions<AvroCodecOptions>): Promise<SchemaCodec<T>> | UnboundSchemaCodec<T> {
  if (options.registry === undefined) {
    const unbound = options;
    return unboundCodec<T>(NAME, (registry, topic, isKey) => createAvro<T>({ ...unbound, registry, topic, isKey }));
  }
  return createAvro<T>(options);
}

async function createAvro<T>(options: AvroCodecOptions): Promise<SchemaCodec<T>> {
  const text = typeof options.schema === 'string' ? options.schema : JSON.stringify(options.schema);
  const reader: Type = avsc.Type.forSchema((typeof options.schema === 'string' ? JSON.parse(options.schema) : options.schema) as Schema);
  const subject = subjectName(options, reader.name, NAME);
  const writer = await resolveWriter(options, subject, text, 'AVRO');
  await preloadSubject(options, subject);
  const writeType = writer.schema === text ? reader : avsc.Type.forSchema(JSON.parse(writer.schema) as Schema);
  const decoders = new DecoderCache(options.registry, NAME, (registered) => {
    if (registered.schema === text) return (payload: Buffer) => reader.fromBuffer(payload) as T;
    const resolver = reader.createResolver(avsc.Type.forSchema(JSON.parse(registered.schema) as Schema));
    return (payload: Buffer) => reader.fromBuffer(payload, resolver) as T;
  });
  return {
    name: NAME,
    subject,
    schemaId: writer.id,
    encode(value: T): Buffer {
      let payload: Buffer;
      try {
        payload = writeType.toBuffer(value);
      } catch (error) {
        throw failure('encode', error);
      }
      return frame(writer.id, payload);
    },
    decode(bytes: Buffer): T {
      const decode = decoders.get(schemaIdOf(bytes, NAME));
      try {
        return decode(bytes.subarray(HEADER_SIZE));
      } catch (error) {
        throw failure('decode', error);
      }
    },
  };
}
