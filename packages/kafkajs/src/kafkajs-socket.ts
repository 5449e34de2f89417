import type { ISocketFactory } from 'kafkajs';
import { kafkajsDefaultSocketFactory } from './kafkajs-internals.js';

/**
 * kafkajs' default socket factory with one fix. kafkajs calls `socket.unref()` on every disconnect of a
 * connection, also when its socket has long closed (each failed reconnect to a broker that is down
 * disconnects the broker's whole connection pool again). Node's `unref()` on a closed socket adds a
 * `connect` listener that never fires, so during an outage every retry leaks one listener and Node
 * warns "MaxListenersExceededWarning: 11 connect listeners added to [Socket]". Here `unref()` on a
 * destroyed socket does nothing.
 */
export function leakFreeSocketFactory(base: ISocketFactory = kafkajsDefaultSocketFactory()): ISocketFactory {
  return (args) => {
    const socket = base(args);
    const unref = socket.unref.bind(socket);
    socket.unref = () => (socket.destroyed ? socket : unref());
    return socket;
  };
}
