import { startKafka } from '@goka/scripts';
import type { KafkaCluster, KafkaSecurity } from '@goka/scripts';
import { afterAll, beforeAll } from 'vitest';

/**
 * A broker of the suite's own on `port` (never the shared one: its tests stop and restart it), started
 * before the suite's tests (replacing one left over from an earlier run) and stopped after them.
 * Returns the running cluster; call it inside tests and hooks only. `security: 'sasl_ssl'` starts the
 * secured profile (a SASL_SSL listener on `port`; the cluster names its CA file and test user).
 */
export function ownBroker(port: number, security: KafkaSecurity = 'plaintext'): () => KafkaCluster {
  let broker: KafkaCluster | undefined;
  beforeAll(async () => {
    broker = await startKafka({ nodes: 1, port, security, ifRunning: 'replace' });
  }, 150_000);
  afterAll(async () => {
    await broker?.stop();
  }, 60_000);
  return () => {
    if (broker === undefined) throw new Error(`the broker on port ${port} did not start (see the beforeAll error)`);
    return broker;
  };
}
