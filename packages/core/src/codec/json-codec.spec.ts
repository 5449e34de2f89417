import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors/codec-error.js';
import { codecs } from './codecs.js';

interface Profile {
  name: string;
  visits: number;
}

describe('codecs.json', () => {
  const codec = codecs.json<Profile>();

  it('encodes UTF-8 JSON text and decodes it back', () => {
    const bytes = codec.encode({ name: 'Zoë', visits: 3 });
    expect(bytes).toEqual(Buffer.from('{"name":"Zoë","visits":3}', 'utf8'));
    expect(codec.decode(bytes)).toEqual({ name: 'Zoë', visits: 3 });
  });

  it('decodes the JSON null and primitives', () => {
    const loose = codecs.json<unknown>();
    expect(loose.decode(Buffer.from('null'))).toBeNull();
    expect(loose.decode(Buffer.from('"x"'))).toBe('x');
    expect(loose.encode(1.5)).toEqual(Buffer.from('1.5'));
  });

  it('fails to encode values without a JSON form', () => {
    const loose = codecs.json<unknown>();
    expect(() => loose.encode(undefined)).toThrow('json codec cannot encode: a value of type undefined has no JSON representation');
    expect(() => loose.encode(() => 1)).toThrow(CodecError);
    expect(() => loose.encode(1n)).toThrow(/invalid JSON/);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => loose.encode(cyclic)).toThrow(CodecError);
  });

  it('fails to decode invalid or empty bytes, keeping the SyntaxError as cause', () => {
    for (const text of ['', '{', 'undefined', "{'a':1}"]) {
      try {
        codec.decode(Buffer.from(text));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CodecError);
        expect((error as CodecError).cause).toBeInstanceOf(SyntaxError);
        expect((error as CodecError).message).toMatch(/^json codec cannot decode: invalid JSON: /);
      }
    }
  });
});

describe('codecs', () => {
  it('is frozen and names each codec', () => {
    expect(Object.isFrozen(codecs)).toBe(true);
    expect([codecs.string.name, codecs.bytes.name, codecs.int64.name, codecs.bigint64.name, codecs.json().name]).toEqual([
      'string', 'bytes', 'int64', 'bigint64', 'json',
    ]);
  });
});
