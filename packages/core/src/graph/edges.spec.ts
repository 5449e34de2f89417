import { describe, expect, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { codecName } from './edge-string.js';
import { input, inputs, join, lookup, loop, output, persist, visitor } from './edges.js';
import { DEFAULT_LOOP_SUFFIX, DEFAULT_TABLE_SUFFIX, loopName, tableName } from './names.js';

const cb = (): void => {};
const encode = (v: string): Buffer => Buffer.from(v);
const decode = (b: Buffer): string => b.toString();

describe('edge constructors', () => {
  it('carry kind, topic, codec and callback, and are frozen', () => {
    const i = input('clicks', codecs.string, cb);
    expect([i.kind, i.topic, i.codec, i.callback]).toEqual(['input', 'clicks', codecs.string, cb]);
    const j = join('users', codecs.int64);
    expect([j.kind, j.topic, j.codec]).toEqual(['join', 'users', codecs.int64]);
    const l = lookup('geo', codecs.bytes);
    expect([l.kind, l.topic, l.codec]).toEqual(['lookup', 'geo', codecs.bytes]);
    const o = output('alerts', codecs.string);
    expect([o.kind, o.topic, o.codec]).toEqual(['output', 'alerts', codecs.string]);
    const lp = loop(codecs.string, cb);
    expect([lp.kind, lp.topic, lp.codec, lp.callback]).toEqual(['loop', '', codecs.string, cb]);
    const p = persist(codecs.int64);
    expect([p.kind, p.topic, p.codec]).toEqual(['persist', '', codecs.int64]);
    const v = visitor('reset', cb);
    expect([v.kind, v.topic, v.name, v.codec, v.callback]).toEqual(['visitor', 'reset', 'reset', undefined, cb]);
    for (const edge of [i, j, l, o, lp, p, v]) expect(Object.isFrozen(edge)).toBe(true);
  });

  it('inputs keeps its topics and one input edge per topic', () => {
    const e = inputs(['a', 'b'], codecs.string, cb);
    expect([e.kind, e.topic, e.topics, e.codec, e.callback]).toEqual(['inputs', 'a,b', ['a', 'b'], codecs.string, cb]);
    expect(e.edges.map((x) => [x.kind, x.topic, x.codec, x.callback])).toEqual([
      ['input', 'a', codecs.string, cb],
      ['input', 'b', codecs.string, cb],
    ]);
    expect(Object.isFrozen(e.topics) && Object.isFrozen(e.edges)).toBe(true);
  });
});

describe('edge strings ("<topic>/<codec name>", like Goka\'s "%s/%T")', () => {
  it('built-in codecs', () => {
    expect(String(input('input', codecs.string, cb))).toBe('input/string');
    expect(`${join('t', codecs.int64)}`).toBe('t/int64');
    expect(lookup('t', codecs.bigint64).toString()).toBe('t/bigint64');
    expect(output('t', codecs.bytes).toString()).toBe('t/bytes');
    expect(output('t', codecs.json()).toString()).toBe('t/json');
  });

  it('unbound loop and persist render with an empty topic, like Goka', () => {
    expect(String(loop(codecs.string, cb))).toBe('/string');
    expect(String(persist(codecs.int64))).toBe('/int64');
  });

  it('inputs and visitors', () => {
    expect(String(inputs(['a', 'b', 'c'], codecs.string, cb))).toBe('input streams: a,b,c/string');
    expect(String(inputs([], codecs.string, cb))).toBe('empty input streams');
    expect(String(visitor('reset', cb))).toBe('visitor reset');
  });

  it('user codecs: name, else class name, else "custom"', () => {
    class ProtoCodec implements Codec<string> {
      encode = encode;
      decode = decode;
    }
    const named: Codec<string> = { name: 'avro', encode, decode };
    expect(codecName(named)).toBe('avro');
    expect(codecName(new ProtoCodec())).toBe('ProtoCodec');
    expect(codecName({ encode, decode })).toBe('custom');
    expect(codecName({ name: '', encode, decode })).toBe('custom');
    expect(codecName(Object.assign(Object.create(null) as object, { encode, decode }))).toBe('custom');
    expect(String(output('t', new ProtoCodec()))).toBe('t/ProtoCodec');
  });
});

describe('tableName / loopName', () => {
  it('default suffixes', () => {
    expect([DEFAULT_TABLE_SUFFIX, DEFAULT_LOOP_SUFFIX]).toEqual(['-table', '-loop']);
    expect(tableName('clicks')).toBe('clicks-table');
    expect(loopName('clicks')).toBe('clicks-loop');
  });

  it('a suffix per call', () => {
    expect(tableName('clicks', '.state')).toBe('clicks.state');
    expect(loopName('clicks', '_loop')).toBe('clicks_loop');
    expect(tableName('clicks', '')).toBe('clicks');
  });
});

describe('edge codecs are checked when the edge is built', () => {
  const notCodecs: ReadonlyArray<[string, unknown]> = [
    ['a function', codecs.json],
    ['undefined', undefined],
    ['null', null],
    ['string', 'string'],
    ['Object', { encode: (v: string) => Buffer.from(v) }],
  ];

  it.each(notCodecs)('every edge refuses %s as its codec, naming the edge', (got, value) => {
    const codec = value as Codec<string>;
    const builds: Array<[string, () => unknown]> = [
      ['input("clicks")', () => input('clicks', codec, cb)],
      ['inputs("a,b")', () => inputs(['a', 'b'], codec, cb)],
      ['join("users-table")', () => join('users-table', codec)],
      ['lookup("users-table")', () => lookup('users-table', codec)],
      ['loop()', () => loop(codec, cb)],
      ['output("alerts")', () => output('alerts', codec)],
      ['persist()', () => persist(codec)],
    ];
    for (const [edge, build] of builds) {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error, edge).toBeInstanceOf(GraphValidationError);
      expect((error as GraphValidationError).rule).toBe('invalid-codec');
      expect((error as GraphValidationError).edge).toBe(edge);
      expect((error as Error).message).toContain(`${edge}: the codec is not a Codec (an object with encode(value) and decode(bytes) functions), got ${got}`);
    }
  });

  it('tells that a codec factory must be called', () => {
    expect(() => input('clicks', codecs.json as unknown as Codec<unknown>, cb)).toThrow(
      'input("clicks"): the codec is not a Codec (an object with encode(value) and decode(bytes) functions), got a function; ' +
        'a codec factory must be called: codecs.json() rather than codecs.json',
    );
    expect(input('clicks', codecs.json(), cb).kind).toBe('input');
  });

  it('accepts user codecs: plain objects and class instances', () => {
    class Upper implements Codec<string> {
      encode(value: string): Buffer {
        return Buffer.from(value.toUpperCase());
      }
      decode(bytes: Buffer): string {
        return bytes.toString();
      }
    }
    expect(output('x', new Upper()).codec).toBeInstanceOf(Upper);
    expect(join('t', { encode: (v: number) => Buffer.from(String(v)), decode: Number }).kind).toBe('join');
  });
});
