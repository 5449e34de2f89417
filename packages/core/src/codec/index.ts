export type { Codec, CodecValue } from './codec.js';
export type { CodecBindContext, CodecServices } from './codec-bind-context.js';
export { codecs } from './codecs.js';
export type { Codecs } from './codecs.js';
export { bigint64Codec } from './bigint64-codec.js';
export { bytesCodec } from './bytes-codec.js';
export { int64Codec } from './int64-codec.js';
export { jsonCodec } from './json-codec.js';
export { stringCodec } from './string-codec.js';
