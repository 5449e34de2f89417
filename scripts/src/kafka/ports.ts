import { createServer } from 'node:net';
import { KafkaPortInUseError } from './errors.js';
import type { KafkaTopology } from './types.js';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails with the list of taken ports before any JVM starts, instead of a bind error deep in a broker log. */
export async function assertPortsFree(topology: KafkaTopology): Promise<void> {
  const ports = topology.nodes.flatMap((n) => [n.brokerPort, n.controllerPort]);
  const taken: number[] = [];
  for (const port of ports) if (!(await portFree(port))) taken.push(port);
  if (taken.length > 0) {
    throw new KafkaPortInUseError(
      `port ${taken.join(', ')} on 127.0.0.1 is in use, so the Kafka profile ${topology.profile} cannot start; ` +
        'stop whatever listens there (`pnpm kafka status` lists brokers this project started)',
    );
  }
}
