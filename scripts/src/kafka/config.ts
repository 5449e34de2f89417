import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KafkaNodeSpec, KafkaTopology } from './types.js';

type Properties = Readonly<Record<string, string | number | boolean>>;

/** Settings of every node: fast group joins, small internal topics, a cleaner that compacts soon. */
const COMMON: Properties = {
  'process.roles': 'broker,controller',
  'controller.listener.names': 'CONTROLLER',
  'inter.broker.listener.name': 'PLAINTEXT',
  'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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

export function serverProperties(topology: KafkaTopology, node: KafkaNodeSpec, dataDir: string): string {
  const voters = topology.nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(',');
  const props: Properties = {
    ...COMMON,
    ...(topology.nodes.length === 1 ? SINGLE : clusterSettings(topology.nodes.length)),
    'node.id': node.nodeId,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
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

/** Writes `node<k>.properties` per node and one `log4j2.properties`; returns where each node's files are. */
export async function writeKafkaConfig(
  topology: KafkaTopology,
  configDir: string,
  dataRoot: string,
): Promise<{ readonly nodes: readonly WrittenConfig[]; readonly log4jFile: string }> {
  await mkdir(configDir, { recursive: true });
  const log4jFile = join(configDir, 'log4j2.properties');
  await writeFile(log4jFile, LOG4J2_PROPERTIES);
  const nodes = await Promise.all(
    topology.nodes.map(async (node) => {
      const dataDir = join(dataRoot, `node${node.nodeId}`);
      const configFile = join(configDir, `node${node.nodeId}.properties`);
      await writeFile(configFile, serverProperties(topology, node, dataDir));
      return { node, configFile, dataDir };
    }),
  );
  return { nodes, log4jFile };
}
