import { KafkaHarnessError } from './errors.js';
import type { KafkaSecurity } from './security.js';
import type { KafkaTopology } from './types.js';

export const DEFAULT_PORT = 9092;
/** The secured (`sasl_ssl`) node's default port: next to the default PLAINTEXT node's 9092/9093. */
export const DEFAULT_SECURED_PORT = 9094;
export const MAX_NODES = 5;

/**
 * One node: PLAINTEXT `port`, controller `port + 1` (default 9092/9093), profile `single` on the default
 * port and `single-<port>` on any other, so a test can run its own broker (to kill and restart) next to
 * the shared one. n nodes: node k listens on k·10000 + 9092 and controls on k·10000 + 9093 (19092/19093,
 * 29092/29093, …), profile `cluster-<n>`. Every profile has its own folder, state and lock, so all can run
 * at once (as long as their ports differ). `security: 'sasl_ssl'` is a single node, on 9094/9095 unless
 * `port` says otherwise (its profile is named by its port like any single node's; the state records
 * the security).
 */
export function kafkaTopology(nodes = 1, port?: number, security: KafkaSecurity = 'plaintext'): KafkaTopology {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new KafkaHarnessError(`--nodes must be an integer from 1 to ${MAX_NODES}, got ${String(nodes)}`);
  }
  if (security === 'sasl_ssl') {
    if (nodes !== 1) throw new KafkaHarnessError('--security sasl_ssl starts a single node; leave out --nodes');
    return singleTopology(port ?? DEFAULT_SECURED_PORT);
  }
  return plaintextTopology(nodes, port ?? DEFAULT_PORT);
}

function singleTopology(port: number): KafkaTopology {
  if (!Number.isInteger(port) || port < 1024 || port > 65534) {
    throw new KafkaHarnessError(`--port must be an integer from 1024 to 65534, got ${String(port)}`);
  }
  return { profile: singleProfile(port), nodes: [{ nodeId: 1, brokerPort: port, controllerPort: port + 1 }] };
}

function plaintextTopology(nodes: number, port: number): KafkaTopology {
  if (nodes === 1) return singleTopology(port);
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
