import { KafkaHarnessError } from './errors.js';
import type { KafkaTopology } from './types.js';

export const DEFAULT_PORT = 9092;
export const MAX_NODES = 5;

/**
 * One node: PLAINTEXT `port`, controller `port + 1` (default 9092/9093), profile `single` on the default
 * port and `single-<port>` on any other, so a test can run its own broker (to kill and restart) next to
 * the shared one. n nodes: node k listens on k·10000 + 9092 and controls on k·10000 + 9093 (19092/19093,
 * 29092/29093, …), profile `cluster-<n>`. Every profile has its own folder, state and lock, so all can run
 * at once (as long as their ports differ).
 */
export function kafkaTopology(nodes = 1, port = DEFAULT_PORT): KafkaTopology {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new KafkaHarnessError(`--nodes must be an integer from 1 to ${MAX_NODES}, got ${String(nodes)}`);
  }
  if (nodes === 1) {
    if (!Number.isInteger(port) || port < 1024 || port > 65534) {
      throw new KafkaHarnessError(`--port must be an integer from 1024 to 65534, got ${String(port)}`);
    }
    return { profile: singleProfile(port), nodes: [{ nodeId: 1, brokerPort: port, controllerPort: port + 1 }] };
  }
  if (port !== DEFAULT_PORT) {
    throw new KafkaHarnessError('--port applies to the single node only; a cluster uses 19092, 29092, …');
  }
  return {
    profile: `cluster-${nodes}`,
    nodes: Array.from({ length: nodes }, (_, i) => {
      const k = i + 1;
      return { nodeId: k, brokerPort: k * 10_000 + 9092, controllerPort: k * 10_000 + 9093 };
    }),
  };
}

/** The profile name of a single node on `port`: `single` on the default port, else `single-<port>`. */
export function singleProfile(port: number): string {
  return port === DEFAULT_PORT ? 'single' : `single-${port}`;
}

export function brokerAddress(port: number): string {
  return `127.0.0.1:${port}`;
}
