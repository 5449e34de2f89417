/**
 * What a Schema Registry codec costs per record next to the built-in JSON codec (issue 20): one click
 * event of about 120 bytes is encoded and decoded by `codecs.json`, `avro`, `jsonSchema` (JSON plus Ajv
 * validation both ways) and `protobuf`, in interleaved rounds; each codec's median ns per encode and
 * per decode, with the bytes it writes. The codecs register with an in-memory registry
 * (`MemorySchemaRegistry`): encode and decode never ask a registry for a known id, so none is needed.
 */
import { codecs } from '@goka/core';
import type { Codec } from '@goka/core';
import { avro, jsonSchema, MemorySchemaRegistry, protobuf } from '@goka/schema-registry';

interface Click {
  user: string;
  page: string;
  action: string;
  timestamp: number;
  session: string;
  cents: number;
}

const CLICK: Click = { user: 'user-00042', page: '/checkout', action: 'add-to-cart', timestamp: 1_765_000_000_000, session: 'c0ffee00-1234-4bcd-9abc-0123456789ab', cents: 1999 };

/** One codec's medians over the rounds. */
export interface CodecCost {
  readonly codec: 'json' | 'avro' | 'json-schema' | 'protobuf';
  readonly bytes: number;
  readonly encodeNs: number;
  readonly decodeNs: number;
}

export interface CodecResult {
  readonly rounds: number;
  readonly ops: number;
  /** `json` first: the reference of the others. */
  readonly codecs: readonly CodecCost[];
}

async function codecsUnderTest(): Promise<Array<readonly [CodecCost['codec'], Codec<Click>]>> {
  const fields = [
    { name: 'user', type: 'string' },
    { name: 'page', type: 'string' },
    { name: 'action', type: 'string' },
    { name: 'timestamp', type: 'long' },
    { name: 'session', type: 'string' },
    { name: 'cents', type: 'int' },
  ];
  const properties = { user: { type: 'string' }, page: { type: 'string' }, action: { type: 'string' }, timestamp: { type: 'integer' }, session: { type: 'string' }, cents: { type: 'integer' } };
  const proto = 'syntax = "proto3"; package bench; message Click { string user = 1; string page = 2; string action = 3; int64 timestamp = 4; string session = 5; int32 cents = 6; }';
  const registry = new MemorySchemaRegistry().client();
  return [
    ['json', codecs.json<Click>()],
    ['avro', await avro<Click>({ registry, topic: 'avro-clicks', schema: { type: 'record', name: 'Click', namespace: 'bench', fields } })],
    ['json-schema', await jsonSchema<Click>({ registry, topic: 'json-clicks', schema: { title: 'Click', type: 'object', properties, required: Object.keys(properties) } })],
    // longs as numbers here, so that the decoded value is the encoded one
    ['protobuf', await protobuf<Click>({ registry, topic: 'proto-clicks', schema: proto, messageType: 'bench.Click', toObject: { longs: Number, defaults: true } })],
  ];
}

function nsPerOp(ops: number, run: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) run();
  return Number(process.hrtime.bigint() - start) / ops;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Times every codec in `rounds` interleaved rounds of `ops` encodes and `ops` decodes each. */
export async function codecSuite(rounds: number, ops: number): Promise<CodecResult> {
  const all = await codecsUnderTest();
  const samples = new Map(all.map(([name]) => [name, { encode: [] as number[], decode: [] as number[] }]));
  for (const [name, codec] of all) {
    const bytes = codec.encode(CLICK);
    if (JSON.stringify({ ...codec.decode(bytes) }) !== JSON.stringify(CLICK)) throw new Error(`${name} does not read back what it wrote`);
  }
  for (let round = 0; round < rounds; round++) {
    // interleaved, starting with another codec each round
    for (let k = 0; k < all.length; k++) {
      const [name, codec] = all[(round + k) % all.length] as readonly [CodecCost['codec'], Codec<Click>];
      const bytes = codec.encode(CLICK);
      const sample = samples.get(name);
      sample?.encode.push(nsPerOp(ops, () => codec.encode(CLICK)));
      sample?.decode.push(nsPerOp(ops, () => codec.decode(bytes)));
    }
  }
  return {
    rounds,
    ops,
    codecs: all.map(([name, codec]) => ({
      codec: name,
      bytes: codec.encode(CLICK).length,
      encodeNs: median(samples.get(name)?.encode ?? []),
      decodeNs: median(samples.get(name)?.decode ?? []),
    })),
  };
}

/** The result as the table `pnpm bench:codecs` prints. */
export function codecLines(result: CodecResult): string[] {
  const json = result.codecs.find((cost) => cost.codec === 'json');
  const lines = [
    `schema codecs, one ~120-byte click, ${result.rounds} rounds × ${result.ops} ops, Node ${process.version}`,
    'codec        bytes  encode ns  (× json)  decode ns  (× json)',
  ];
  for (const cost of result.codecs) {
    lines.push(
      `${cost.codec.padEnd(12)} ${String(cost.bytes).padStart(5)}  ${cost.encodeNs.toFixed(0).padStart(9)}  ${(cost.encodeNs / (json?.encodeNs ?? Number.NaN)).toFixed(2).padStart(8)}  ` +
        `${cost.decodeNs.toFixed(0).padStart(9)}  ${(cost.decodeNs / (json?.decodeNs ?? Number.NaN)).toFixed(2).padStart(8)}`,
    );
  }
  return lines;
}
