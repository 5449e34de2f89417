import { Kafka, logLevel } from 'kafkajs';
import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

export interface ClusterView {
  readonly brokerIds: readonly number[];
  readonly controller: number | null;
  readonly clusterId: string;
}

/** How a probe reaches a secured broker: kafkajs' `ssl` and `sasl` options. */
export interface ProbeAccess {
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

/**
 * One kafkajs admin `describeCluster` against `brokers`, without retries and with short timeouts, so a
 * caller can poll it. Rejects when no broker answers.
 */
export async function describeCluster(brokers: readonly string[], timeoutMs = 2000, access: ProbeAccess = {}): Promise<ClusterView> {
  const kafka = new Kafka({
    ...access,
    clientId: 'goka-kafka-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return {
      brokerIds: cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
      controller: cluster.controller,
      clusterId: cluster.clusterId,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
