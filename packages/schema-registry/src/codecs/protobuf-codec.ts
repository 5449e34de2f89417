import type { IConversionOptions } from 'protobufjs';
import { CodecError } from '@goka/core';
import { sameAfterConversion } from '../protobuf/json-forms.js';
import { decodeMessageIndexes, encodeMessageIndexes } from '../protobuf/message-indexes.js';
import { indexesOf, parseProto, typeAt } from '../protobuf/proto-schema.js';
import { DecoderCache, preloadSubject, resolveWriter } from '../schema-codec-base.js';
import type { SchemaCodecOptions } from '../schema-codec-base.js';
import { subjectName } from '../subject.js';
import { HEADER_SIZE, frame, schemaIdOf } from '../wire-format.js';
import type { SchemaCodec } from './schema-codec.js';
import { unboundCodec } from './unbound-codec.js';
import type { UnboundCodecOptions, UnboundSchemaCodec } from './unbound-codec.js';

const NAME = 'protobuf';

/** Options of {@link protobuf}. */
export interface ProtobufCodecOptions extends SchemaCodecOptions {
  /** The .proto source (proto3 or proto2, without imports). */
  readonly schema: string;
  /** The full name of the message the codec reads and writes (`shop.Order.Line`). */
  readonly messageType: string;
  /** How decoded messages become plain objects. @default { defaults: true, longs: String, enums: String } */
  readonly toObject?: IConversionOptions;
}

function failure(operation: 'encode' | 'decode', reason: string, cause?: unknown): CodecError {
  return new CodecError({ codec: NAME, operation, reason, ...(cause === undefined ? {} : { cause }) });
}

/**
 * @publicApi A Protobuf codec in the Confluent wire format (protobufjs): after the schema id, the
 * message-index list naming the message's place in its .proto file (nested messages included), then the
 * message. `decode` finds the record's message by its writer schema's index list and reads it with this
 * codec's type of the same full name, so the bytes interoperate with Confluent's Java, Go and Node
 * serializers.
 */
export function protobuf<T>(options: ProtobufCodecOptions): Promise<SchemaCodec<T>>;
/**
 * Without `registry` (and `topic`): an unbound codec, returned at once, for decorators and module
 * definitions. The processor, view or emitter that uses it binds it when it starts, with the
 * registry of its `codecServices.schemaRegistry` (`GokaModule.forRoot({ schemaRegistry })`) and the
 * edge's topic (`<topic>-value` / `-key` under the default strategy), to the codec the awaited form makes.
 */
export function protobuf<T>(options: UnboundCodecOptions<ProtobufCodecOptions>): UnboundSchemaCodec<T>;
export function protobuf<T>(options: ProtobufCodecOptions | UnboundCodecOptions<ProtobufCodecOptions>): Promise<SchemaCodec<T>> | UnboundSchemaCodec<T> {
  if (options.registry === undefined) {
    const unbound = options;
    return unboundCodec<T>(NAME, (registry, topic, isKey) => createProtobuf<T>({ ...unbound, registry, topic, isKey }));
  }
  return createProtobuf<T>(options);
}

async function createProtobuf<T>(options: ProtobufCodecOptions): Promise<SchemaCodec<T>> {
  const file = parseProto(options.schema);
  const fullName = options.messageType.replace(/^\./, '');
  const type = file.root.lookupType(fullName);
  const conversion: IConversionOptions = options.toObject ?? { defaults: true, longs: String, enums: String };
  const subject = subjectName(options, fullName, NAME);
  const writer = await resolveWriter(options, subject, options.schema, 'PROTOBUF');
  await preloadSubject(options, subject);
  const indexes = encodeMessageIndexes(indexesOf(file, type));
  const decoders = new DecoderCache(options.registry, NAME, (registered) => {
    const writerFile = registered.schema === options.schema ? file : parseProto(registered.schema);
    return (path: readonly number[]) => {
      const written = typeAt(writerFile, path);
      if (written === undefined) throw failure('decode', `message index [${path.join(', ')}] is not in schema id ${registered.id}`);
      if (written.fullName !== type.fullName) throw failure('decode', `the record is a ${written.fullName.slice(1)}, this codec reads ${fullName}`);
      return type;
    };
  });
  return {
    name: NAME,
    subject,
    schemaId: writer.id,
    encode(value: T): Buffer {
      let message: ReturnType<typeof type.fromObject>;
      try {
        message = type.fromObject(value as Record<string, unknown>);
      } catch (error) {
        throw failure('encode', `not a valid ${fullName}: ${error instanceof Error ? error.message : String(error)}`, error);
      }
      const invalid = type.verify(value as Record<string, unknown>);
      // verify() refuses the JSON forms (int64 as text, enums by name) that fromObject() reads.
      if (invalid !== null && !sameAfterConversion(value, type.toObject(message, conversion))) {
        throw failure('encode', `not a valid ${fullName}: ${invalid}`);
      }
      return frame(writer.id, indexes, type.encode(message).finish());
    },
    decode(bytes: Buffer): T {
      const resolve = decoders.get(schemaIdOf(bytes, NAME));
      const { indexes: path, offset } = decodeMessageIndexes(bytes, HEADER_SIZE);
      const reader = resolve(path);
      try {
        return reader.toObject(reader.decode(bytes.subarray(offset)), conversion) as T;
      } catch (error) {
        throw failure('decode', error instanceof Error ? error.message : String(error), error);
      }
    },
  };
}
