import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { leakFreeSocketFactory } from './kafkajs-socket.js';

/** A plain TCP socket factory, as kafkajs' default one makes them without TLS. */
const plain: ISocketFactory = ({ host, port, onConnect }) => connect({ host, port }, onConnect);

async function listening(handler: (peer: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('leakFreeSocketFactory', () => {
  it('adds no connect listener per unref() of a socket that has closed (kafkajs unrefs it on every retry)', async () => {
    const server = await listening(() => {});
    await server.close(); // nothing listens there any more: connecting fails
    const socket = leakFreeSocketFactory(plain)({ host: '127.0.0.1', port: server.port, ssl: {}, onConnect: () => {} });
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const listeners = socket.listenerCount('connect');
    for (let i = 0; i < 20; i++) expect(socket.unref()).toBe(socket);
    expect(socket.listenerCount('connect')).toBe(listeners);
  });

  it('unrefs a connected socket as before', async () => {
    const server = await listening((peer) => peer.on('error', () => {}));
    const socket = await new Promise<Socket>((resolve) => {
      const created = leakFreeSocketFactory(plain)({
        host: '127.0.0.1',
        port: server.port,
        ssl: {},
        onConnect: () => resolve(created),
      });
    });
    expect(socket.unref()).toBe(socket);
    socket.destroy();
    await server.close();
  });
});
