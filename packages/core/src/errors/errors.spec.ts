import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { GokaError } from './goka-error.js';
import { describeType, quote } from '../util/quote.js';
import { ReservedKeyError, StorageClosedError, StorageError, StorageLockedError } from './storage-error.js';

describe('GokaError', () => {
  it('names itself after its class, keeps cause, defaults retriable to false', () => {
    const cause = new Error('root');
    const error = new GokaError('GOKA_PROCESSOR', 'boom', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GokaError');
    expect(error.message).toBe('boom');
    expect(error.cause).toBe(cause);
    expect(error.retriable).toBe(false);
    expect(Object.keys(error)).not.toContain('name');
  });

  it('has no cause property unless one is given', () => {
    expect('cause' in new GokaError('GOKA_PROCESSOR', 'x')).toBe(false);
    expect(new GokaError('GOKA_PROCESSOR', 'x', { retriable: true }).retriable).toBe(true);
  });

  it('subclasses report their own name', () => {
    class CustomError extends GokaError {}
    expect(new CustomError('GOKA_PROCESSOR', 'x').name).toBe('CustomError');
    expect(new StorageClosedError({ topic: 't', partition: 1 }, 'get').name).toBe('StorageClosedError');
  });
});

describe('CodecError', () => {
  it('without location names codec, operation and reason', () => {
    const error = new CodecError({ codec: 'int64', operation: 'decode', reason: 'bad' });
    expect(error.message).toBe('int64 codec cannot decode: bad');
    expect(error).toBeInstanceOf(GokaError);
    expect([error.codec, error.operation, error.reason, error.topic, error.key]).toEqual([
      'int64', 'decode', 'bad', undefined, undefined,
    ]);
  });

  it('wrap adds topic and key to a CodecError, keeping codec and reason', () => {
    const inner = new CodecError({ codec: 'int64', operation: 'decode', reason: 'bad' });
    const error = CodecError.wrap(inner, { operation: 'decode', topic: 'clicks', key: 'user-1' });
    expect(error.message).toBe('int64 codec cannot decode the value of topic "clicks" key "user-1": bad');
    expect(error.topic).toBe('clicks');
    expect(error.key).toBe('user-1');
    expect(error.cause).toBe(inner);
  });

  it('wrap keeps the cause of a CodecError that had one', () => {
    const root = new SyntaxError('json');
    const inner = new CodecError({ codec: 'json', operation: 'decode', reason: 'invalid JSON', cause: root });
    expect(CodecError.wrap(inner, { operation: 'decode', topic: 't' }).cause).toBe(root);
  });

  it('wrap turns any thrown value into a CodecError with the user codec name', () => {
    const root = new TypeError('nope');
    const error = CodecError.wrap(root, { operation: 'encode', codec: 'protobuf', topic: 't', key: '' });
    expect(error.message).toBe('protobuf codec cannot encode the value of topic "t" key "": nope');
    expect(error.cause).toBe(root);
    expect(CodecError.wrap('text', { operation: 'decode' }).message).toBe('custom codec cannot decode: text');
  });

  it('a key without topic is still named', () => {
    const error = new CodecError({ codec: 'string', operation: 'encode', reason: 'r', key: 'k' });
    expect(error.message).toBe('string codec cannot encode the value of key "k": r');
  });
});

describe('StorageError family', () => {
  const location = { topic: 'clicks-table', partition: 3, path: '/data/clicks-table.3' };

  it('StorageError carries topic, partition and path', () => {
    const error = new StorageError('msg', location, { cause: 1 });
    expect([error.topic, error.partition, error.path, error.cause]).toEqual(['clicks-table', 3, '/data/clicks-table.3', 1]);
  });

  it('StorageError.failed names store and operation and keeps the cause', () => {
    const cause = new Error('IO error: disk full');
    const error = StorageError.failed(location, 'write', cause);
    expect(error.message).toBe('storage of topic "clicks-table" partition 3 at /data/clicks-table.3: write failed: IO error: disk full');
    expect(error.cause).toBe(cause);
    expect(error.retriable).toBe(false);
  });

  it('StorageLockedError names the path and is retriable', () => {
    const error = new StorageLockedError(location, { cause: new Error('IO error: lock') });
    expect(error).toBeInstanceOf(StorageError);
    expect(error.retriable).toBe(true);
    expect(error.message).toContain('storage of topic "clicks-table" partition 3 at /data/clicks-table.3 is locked');
    expect(error.message).toContain('/data/clicks-table.3/LOCK');
  });

  it('StorageClosedError and ReservedKeyError', () => {
    expect(new StorageClosedError({ topic: 't', partition: 0 }, 'get').message).toBe(
      'storage of topic "t" partition 0 is closed: cannot get',
    );
    const reserved = new ReservedKeyError({ topic: 't' }, '__offset');
    expect(reserved.key).toBe('__offset');
    expect(reserved.message).toContain('the key "__offset" is reserved for the table offset');
  });
});

describe('messages helpers', () => {
  it('quote escapes and truncates', () => {
    expect(quote('a"b\n')).toBe('"a\\"b\\n"');
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(120)}…"`);
  });

  it('describeType mirrors Go %T loosely', () => {
    expect([describeType(null), describeType(1), describeType(1n), describeType(new Date()), describeType(Object.create(null))]).toEqual([
      'null', 'number', 'bigint', 'Date', 'object',
    ]);
    expect(describeType(Buffer.alloc(1))).toBe('Buffer');
  });
});
