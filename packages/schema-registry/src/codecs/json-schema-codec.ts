import { Ajv } from 'ajv';
import type { Options as AjvOptions } from 'ajv';
import { CodecError } from '@goka/core';
import { preloadSubject, resolveWriter } from '../schema-codec-base.js';
import type { SchemaCodecOptions } from '../schema-codec-base.js';
import { subjectName } from '../subject.js';
import { HEADER_SIZE, frame, schemaIdOf } from '../wire-format.js';
import type { SchemaCodec } from './schema-codec.js';
import { unboundCodec } from './unbound-codec.js';
import type { UnboundCodecOptions, UnboundSchemaCodec } from './unbound-codec.js';

const NAME = 'json-schema';

/** Options of {@link jsonSchema}. */
export interface JsonSchemaCodecOptions extends SchemaCodecOptions {
  /** The JSON Schema (draft-07) values are checked against on encode and on decode. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Options of the Ajv instance that compiles `schema`. @default { allErrors: true, strict: false } */
  readonly ajv?: AjvOptions;
}

/**
 * @publicApi A JSON Schema codec in the Confluent wire format: JSON text after the 5-byte header. Both
 * `encode` and `decode` validate against this codec's schema (with Ajv) and throw a CodecError naming
 * what does not match, so an invalid record goes to the input's error policy. Decoding needs no
 * registry request: the payload is JSON whatever the writer's schema.
 */
export function jsonSchema<T>(options: JsonSchemaCodecOptions): Promise<SchemaCodec<T>>;
/**
 * Without `registry` (and `topic`): an unbound codec, returned at once, for decorators and module
 * definitions. The processor, view or emitter that uses it binds it when it starts, with the
 * registry of its `codecServices.schemaRegistry` (`GokaModule.forRoot({ schemaRegistry })`) and the
 * edge's topic (`<topic>-value` / `-key` under the default strategy), to the codec the awaited form makes.
 */
export function jsonSchema<T>(options: UnboundCodecOptions<JsonSchemaCodecOptions>): UnboundSchemaCodec<T>;
export function jsonSchema<T>(options: JsonSchemaCodecOptions | UnboundCodecOptions<JsonSchemaCodecOptions>): Promise<SchemaCodec<T>> | UnboundSchemaCodec<T> {
  if (options.registry === undefined) {
    const unbound = options;
    return unboundCodec<T>(NAME, (registry, topic, isKey) => createJsonSchema<T>({ ...unbound, registry, topic, isKey }));
  }
  return createJsonSchema<T>(options);
}

async function createJsonSchema<T>(options: JsonSchemaCodecOptions): Promise<SchemaCodec<T>> {
  const ajv = new Ajv({ allErrors: true, strict: false, ...options.ajv });
  const validate = ajv.compile<T>(options.schema);
  const title = typeof options.schema['title'] === 'string' ? options.schema['title'] : undefined;
  const subject = subjectName(options, title, NAME);
  const writer = await resolveWriter(options, subject, JSON.stringify(options.schema), 'JSON');
  await preloadSubject(options, subject);

  function check(value: unknown, operation: 'encode' | 'decode'): T {
    if (validate(value)) return value;
    throw new CodecError({ codec: NAME, operation, reason: `does not match the schema of subject "${subject}": ${ajv.errorsText(validate.errors)}` });
  }

  return {
    name: NAME,
    subject,
    schemaId: writer.id,
    encode(value: T): Buffer {
      return frame(writer.id, Buffer.from(JSON.stringify(check(value, 'encode')), 'utf8'));
    },
    decode(bytes: Buffer): T {
      schemaIdOf(bytes, NAME);
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8', HEADER_SIZE));
      } catch (error) {
        throw new CodecError({ codec: NAME, operation: 'decode', reason: `payload is not JSON: ${(error as Error).message}`, cause: error });
      }
      return check(value, 'decode');
    },
  };
}
