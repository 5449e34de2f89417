import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SASL_MECHANISMS, SASL_PASSWORD, SASL_SSL_LISTENER, SASL_USERNAME } from './security.js';
import { STORE_PASSWORD } from './tls.js';
import type { BrokerTls } from './tls.js';
import type { KafkaNodeSpec, KafkaTopology } from './types.js';

type Properties = Readonly<Record<string, string | number | boolean>>;

/** Settings of every node: fast group joins, small internal topics, a cleaner that compacts soon. */
const COMMON: Properties = {
  'process.roles': 'broker,controller',
  'controller.listener.names': 'CONTROLLER',
  'num.partitions': 1,
  'auto.create.topics.enable': false,
  'offsets.topic.num.partitions': 4,
  'transaction.state.log.num.partitions': 4,
  'group.initial.rebalance.delay.ms': 0,
  // Tests may give consumers short session timeouts (the default floor is 6000 ms).
  'group.min.session.timeout.ms': 1000,
  'num.network.threads': 2,
  'num.io.threads': 2,
  'num.recovery.threads.per.data.dir': 1,
  // Compaction tests: the cleaner wakes every second; its dedupe buffer (default 128 MiB) fits a 512 MiB heap.
  'log.cleaner.backoff.ms': 1000,
  'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
  'log.segment.delete.delay.ms': 1000,
};

/** One node alone: replication factor 1 everywhere. */
const SINGLE: Properties = {
  'default.replication.factor': 1,
  'min.insync.replicas': 1,
  'offsets.topic.replication.factor': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'share.coordinator.state.topic.replication.factor': 1,
  'share.coordinator.state.topic.min.isr': 1,
};

/** A cluster: replicated internal topics and failover in seconds rather than tens of seconds. */
function clusterSettings(size: number): Properties {
  const replicas = Math.min(3, size);
  const minIsr = Math.max(1, replicas - 1);
  return {
    'default.replication.factor': replicas,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minIsr,
    'broker.session.timeout.ms': 3000,
    'broker.heartbeat.interval.ms': 1000,
    'replica.lag.time.max.ms': 10_000,
  };
}

/** The client (and inter-broker) listener: PLAINTEXT by default. The controller listener stays PLAINTEXT. */
function plaintextListener(node: KafkaNodeSpec): Properties {
  return {
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
  };
}

/**
 * The secured profile's listener: SASL_SSL on the broker port for clients and between brokers (as the
 * test user, over PLAIN), with PLAIN users in the listener's JAAS config (`user_<name>="<password>"`) and
 * SCRAM users added at format time (see `format.ts`). TLS with the throw-away broker certificate; no
 * client certificates.
 */
function saslSslListener(node: KafkaNodeSpec, tls: BrokerTls): Properties {
  const prefix = `listener.name.${SASL_SSL_LISTENER.toLowerCase()}`;
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return {
    'inter.broker.listener.name': SASL_SSL_LISTENER,
    'listener.security.protocol.map': `CONTROLLER:PLAINTEXT,${SASL_SSL_LISTENER}:SASL_SSL`,
    listeners: `${SASL_SSL_LISTENER}://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `${SASL_SSL_LISTENER}://127.0.0.1:${node.brokerPort}`,
    'sasl.enabled.mechanisms': SASL_MECHANISMS.join(','),
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    [`${prefix}.plain.sasl.jaas.config`]:
      'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
      `username="${SASL_USERNAME}" password="${SASL_PASSWORD}" user_${SASL_USERNAME}="${SASL_PASSWORD}";`,
    [`${prefix}.scram-sha-256.sasl.jaas.config`]: scram,
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: scram,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': tls.keystore,
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.key.password': STORE_PASSWORD,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': tls.truststore,
    'ssl.truststore.password': STORE_PASSWORD,
    'ssl.client.auth': 'none',
  };
}

/** `tls` given: the secured profile (SASL_SSL listener); else the PLAINTEXT one. */
export function serverProperties(topology: KafkaTopology, node: KafkaNodeSpec, dataDir: string, tls?: BrokerTls): string {
  const voters = topology.nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',');
  const props: Properties = {
    ...COMMON,
    ...(topology.nodes.length === 1 ? SINGLE : clusterSettings(topology.nodes.length)),
    'node.id': node.nodeId,
    'controller.quorum.voters': voters,
    ...(tls === undefined ? plaintextListener(node) : saslSslListener(node, tls)),
    'log.dirs': dataDir,
  };
  const lines = Object.entries(props).map(([key, value]) => `${key}=${String(value)}`);
  return `# written by scripts/src/kafka/config.ts (profile ${topology.profile}, node ${node.nodeId})\n${lines.join('\n')}\n`;
}

/** Warnings only, plus `kafka.server` at INFO so the log shows "Kafka Server started" and shutdown. */
export const LOG4J2_PROPERTIES = `# written by scripts/src/kafka/config.ts
status = warn
# Kafka logs its own shutdown; log4j must not stop first (it would print "Unable to register Log4j shutdown hook").
shutdownHook = disable
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
`;

export interface WrittenConfig {
  readonly node: KafkaNodeSpec;
  readonly configFile: string;
  readonly dataDir: string;
}

/**
 * Writes `node<k>.properties` per node and one `log4j2.properties`; returns where each node's files are.
 * With `tls`, the nodes get the secured (SASL_SSL) listener.
 */
export async function writeKafkaConfig(
  topology: KafkaTopology,
  configDir: string,
  dataRoot: string,
  tls?: BrokerTls,
): Promise<{ readonly nodes: readonly WrittenConfig[]; readonly log4jFile: string }> {
  await mkdir(configDir, { recursive: true });
  const log4jFile = join(configDir, 'log4j2.properties');
  await writeFile(log4jFile, LOG4J2_PROPERTIES);
  const nodes = await Promise.all(
    topology.nodes.map(async (node) => {
      const dataDir = join(dataRoot, `node${node.nodeId}`);
      const configFile = join(configDir, `node${node.nodeId}.properties`);
      await writeFile(configFile, serverProperties(topology, node, dataDir, tls));
      return { node, configFile, dataDir };
    }),
  );
  return { nodes, log4jFile };
}
