import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryHarnessError } from './errors.js';
import { startRegistry } from './start.js';
import { stopRegistry } from './stop.js';

describe('startRegistry / stopRegistry', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it('refuses a taken port before fetching or starting anything', async () => {
    const root = await mkdtemp(join(tmpdir(), 'registry-harness-'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => rm(root, { recursive: true, force: true }), () => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const error = await startRegistry({ port, root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryHarnessError);
    expect((error as Error).message).toContain(`port ${port} on 127.0.0.1 is in use`);
  });

  it('stopping where none was started is a no-op', async () => {
    const root = await mkdtemp(join(tmpdir(), 'registry-harness-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    expect(await stopRegistry({ port: 1, root })).toBeUndefined();
  });
});
