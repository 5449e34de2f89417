export { SchemaRegistryClient } from './client/schema-registry-client.js';
export type { RegisteredSchema, RegistryAuth, SchemaRegistryOptions, SchemaType } from './client/types.js';
export { avro } from './codecs/avro-codec.js';
export type { AvroCodecOptions } from './codecs/avro-codec.js';
export { jsonSchema } from './codecs/json-schema-codec.js';
export type { JsonSchemaCodecOptions } from './codecs/json-schema-codec.js';
export { protobuf } from './codecs/protobuf-codec.js';
export type { ProtobufCodecOptions } from './codecs/protobuf-codec.js';
export type { SchemaCodec } from './codecs/schema-codec.js';
export { SCHEMA_REGISTRY_SERVICE } from './codecs/unbound-codec.js';
export type { UnboundCodecOptions, UnboundSchemaCodec } from './codecs/unbound-codec.js';
export { MemorySchemaRegistry } from './memory/memory-schema-registry.js';
export type { MemoryRegistryAnswer, StoredSchema } from './memory/memory-schema-registry.js';
export type { SchemaCodecOptions } from './schema-codec-base.js';
export type { SubjectOptions, SubjectStrategy } from './subject.js';
export { decodeMessageIndexes, encodeMessageIndexes } from './protobuf/message-indexes.js';
export { HEADER_SIZE, MAGIC_BYTE } from './wire-format.js';
export {
  SCHEMA_REGISTRY_ERROR_CODES,
  SchemaIncompatibleError,
  SchemaNotLoadedError,
  SchemaRegistryRequestError,
  SchemaRegistryUnavailableError,
  SchemaCodecUnboundError,
} from './errors.js';
export type { RegistryRequestFailure, UnboundCodecProblem } from './errors.js';
