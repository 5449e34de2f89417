import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { CompressionUnavailableError } from '@goka/core';
import type { BatchCodec } from './batch-codec.js';

/** node:zlib's zstd functions (Node 22.15 and later; the package supports 22.12, so they are looked up at run time). */
interface NodeZstd {
  zstdCompressSync(buffer: Buffer): Buffer;
  zstdDecompressSync(buffer: Buffer): Buffer;
}

function nodeZstd(): NodeZstd | undefined {
  const candidate = zlib as unknown as Partial<NodeZstd>;
  return typeof candidate.zstdCompressSync === 'function' && typeof candidate.zstdDecompressSync === 'function'
    ? (candidate as NodeZstd)
    : undefined;
}

const native = nodeZstd();

/** Why zstd cannot compress here, or `undefined` when it can. */
export const ZSTD_COMPRESSION_UNAVAILABLE: string | undefined =
  native === undefined ? `node:zlib has no zstd before Node 22.15 (this is Node ${process.versions.node}); upgrade Node or choose another codec` : undefined;

/**
 * Zstandard (codec 4). Node 22.15 and later: node:zlib's zstd (level 3, as the Java client's default).
 * Older Node reads with `fzstd` (pure JavaScript) and cannot compress: a producer created with
 * `compression: 'zstd'` there throws {@link CompressionUnavailableError}.
 */
export const zstdCodec: BatchCodec = {
  name: 'zstd',
  id: 4,
  compress: (records) => {
    if (native === undefined) throw new CompressionUnavailableError('zstd', ZSTD_COMPRESSION_UNAVAILABLE ?? '');
    return native.zstdCompressSync(records);
  },
  decompress: (compressed) => {
    if (native !== undefined) return native.zstdDecompressSync(compressed);
    const out = fzstdDecompress(compressed);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  },
};

/** Throws `CompressionUnavailableError` when this runtime cannot compress with zstd. */
export function requireZstdCompression(): void {
  if (ZSTD_COMPRESSION_UNAVAILABLE !== undefined) throw new CompressionUnavailableError('zstd', ZSTD_COMPRESSION_UNAVAILABLE);
}
