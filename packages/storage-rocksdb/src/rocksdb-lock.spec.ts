import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StorageLockedError } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RocksDbStorage } from './rocksdb-storage.js';
import { rocksDbDatabasePath } from './rocksdb-instance.js';
import { rocksDbStorageFactory } from './rocksdb-storage-factory.js';

/** Opens the database given as argv[2] with the binding at argv[1], prints "ready", closes on stdin end. */
const HOLDER = `
const native = require(process.argv[1]);
const db = native.db_init(process.argv[2]);
native.db_open(db, { createIfMissing: true }, (error) => {
  if (error) { process.stderr.write(error.message); process.exit(1); }
  process.stdout.write('ready\\n');
});
process.stdin.on('end', () => native.db_close(db, () => process.exit(0)));
process.stdin.resume();
`;

type Holder = ChildProcessByStdio<Writable, Readable, null>;

/** Starts a child process holding the RocksDB database at `location`; resolves once it is open. */
function holdInChild(location: string): Promise<Holder> {
  const modulePath = createRequire(import.meta.url).resolve('@nxtedition/rocksdb/binding.js');
  const child = spawn(process.execPath, ['-e', HOLDER, modulePath, location], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`holder exited early with code ${String(code)}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

/** Lets the child close the database and waits until it exited. */
function release(child: Holder): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.stdin.end();
  });
}

let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'goka-rocksdb-lock-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('RocksDbStorage LOCK', () => {
  it('opening a store under a root another process holds fails with StorageLockedError naming the path', async () => {
    const open = rocksDbStorageFactory({ path: root });
    const location = rocksDbDatabasePath(root);
    const first = await open('clicks-table', 3);
    await first.set('k', Buffer.from('v'));
    await first.close();

    const child = await holdInChild(location);
    try {
      const error: unknown = await open('clicks-table', 3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageLockedError);
      const locked = error as StorageLockedError;
      expect(locked.name).toBe('StorageLockedError');
      expect(locked.retriable).toBe(true);
      expect(locked.path).toBe(location);
      expect([locked.topic, locked.partition]).toEqual(['clicks-table', 3]);
      expect(locked.message).toContain(`storage of topic "clicks-table" partition 3 at ${location} is locked`);
      expect(locked.cause).toBeInstanceOf(Error);
      expect((locked.cause as Error).message).toMatch(/LOCK/);
    } finally {
      await release(child);
    }

    const reopened = await open('clicks-table', 3);
    expect(await reopened.get('k')).toEqual(Buffer.from('v'));
    await reopened.close();
  });

  it('a partition opened twice in the same process gets StorageLockedError; its other partitions open', async () => {
    const path = join(root, 'same-process');
    const options = { path, topic: 'same-process', partition: 0 };
    const first = await RocksDbStorage.open(options);
    const sibling = await rocksDbStorageFactory({ path })('same-process', 1);
    try {
      const error: unknown = await RocksDbStorage.open(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageLockedError);
      expect((error as StorageLockedError).path).toBe(rocksDbDatabasePath(path));
    } finally {
      await first.close();
    }
    const second = await RocksDbStorage.open(options);
    await Promise.all([second.close(), sibling.close()]);
  });
});
