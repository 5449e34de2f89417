#!/usr/bin/env node
/**
 * `pnpm bench:codecs`: what a Schema Registry codec costs per record next to the built-in JSON codec
 * (issue 20). One click event of about 120 bytes is encoded and decoded by `codecs.json`, `avro`,
 * `jsonSchema` (JSON plus Ajv validation both ways) and `protobuf`; rounds are interleaved and each
 * codec's median ns per encode and per decode is printed with the bytes it writes and its ratio to JSON.
 * No registry: the codecs' client is answered in process (the registry is only asked when a codec is
 * created; encode and decode never ask it for a known id).
 */
import { codecs } from '@goka/core';
import type { Codec } from '@goka/core';
import { avro, jsonSchema, protobuf, SchemaRegistryClient } from '@goka/schema-registry';
import { runMain } from './support/run-main.js';

interface Click {
  user: string;
  page: string;
  action: string;
  timestamp: number;
  session: string;
  cents: number;
}

const CLICK: Click = { user: 'user-00042', page: '/checkout', action: 'add-to-cart', timestamp: 1_765_000_000_000, session: 'c0ffee00-1234-4bcd-9abc-0123456789ab', cents: 1999 };

/** Answers the one request a codec makes when it is created (`preload: false`): its registration, as id 1. */
const inProcess: typeof fetch = () => Promise.resolve(new Response('{"id":1}', { status: 200 }));

async function codecsUnderTest(): Promise<Array<readonly [string, Codec<Click>]>> {
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
  // a client per codec: the stand-in registry answers id 1 for every schema
  const common = () => ({ registry: new SchemaRegistryClient({ url: 'http://in-process', fetch: inProcess }), topic: 'clicks', preload: false });
  return [
    ['json', codecs.json<Click>()],
    ['avro', await avro<Click>({ ...common(), schema: { type: 'record', name: 'Click', namespace: 'bench', fields } })],
    ['json-schema', await jsonSchema<Click>({ ...common(), schema: { title: 'Click', type: 'object', properties, required: Object.keys(properties) } })],
    // longs as numbers here, so that the decoded value is the encoded one
    ['protobuf', await protobuf<Click>({ ...common(), schema: proto, messageType: 'bench.Click', toObject: { longs: Number, defaults: true } })],
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

async function main(args: readonly string[]): Promise<number> {
  const rounds = Number(args[0] ?? 7);
  const ops = Number(args[1] ?? 50_000);
  const all = await codecsUnderTest();
  const samples = new Map(all.map(([name]) => [name, { encode: [] as number[], decode: [] as number[] }]));
  for (const [, codec] of all) {
    const bytes = codec.encode(CLICK);
    if (JSON.stringify({ ...codec.decode(bytes) }) !== JSON.stringify(CLICK)) throw new Error(`${codec.name ?? '?'} does not read back what it wrote`);
  }
  for (let round = 0; round < rounds; round++) {
    // interleaved, starting with another codec each round
    for (let k = 0; k < all.length; k++) {
      const [name, codec] = all[(round + k) % all.length] as readonly [string, Codec<Click>];
      const bytes = codec.encode(CLICK);
      const sample = samples.get(name);
      sample?.encode.push(nsPerOp(ops, () => codec.encode(CLICK)));
      sample?.decode.push(nsPerOp(ops, () => codec.decode(bytes)));
    }
  }
  const base = samples.get('json');
  const jsonEncode = median(base?.encode ?? []);
  const jsonDecode = median(base?.decode ?? []);
  console.log(`schema codecs, one ~120-byte click, ${rounds} rounds × ${ops} ops, Node ${process.version}`);
  console.log('codec        bytes  encode ns  (× json)  decode ns  (× json)');
  for (const [name, codec] of all) {
    const sample = samples.get(name);
    const encode = median(sample?.encode ?? []);
    const decode = median(sample?.decode ?? []);
    console.log(
      `${name.padEnd(12)} ${String(codec.encode(CLICK).length).padStart(5)}  ${encode.toFixed(0).padStart(9)}  ${(encode / jsonEncode).toFixed(2).padStart(8)}  ${decode.toFixed(0).padStart(9)}  ${(decode / jsonDecode).toFixed(2).padStart(8)}`,
    );
  }
  return 0;
}

runMain(main);
