export { startKafka, DEFAULT_START_TIMEOUT_MS } from './kafka/start.js';
export type { StartKafkaOptions } from './kafka/start.js';
export { stopKafka } from './kafka/stop.js';
export type { StopResult } from './kafka/stop.js';
export { kafkaStatus } from './kafka/status.js';
export type { ProfileStatus } from './kafka/status.js';
export type { KafkaCluster } from './kafka/cluster.js';
export { resolveKafkaJars, pinnedKafkaVersion } from './kafka/jars.js';
export { describeCluster } from './kafka/probe.js';
export type { ClusterView, ProbeAccess } from './kafka/probe.js';
export { waitForCluster } from './kafka/readiness.js';
export { kafkaTopology, DEFAULT_PORT, DEFAULT_SECURED_PORT } from './kafka/topology.js';
export { SASL_MECHANISMS, SASL_PASSWORD, SASL_USERNAME } from './kafka/security.js';
export type { KafkaSecurity, SaslMechanismName, SaslSslAccess } from './kafka/security.js';
export { kafkajsAccess, kafkajsSasl } from './kafka/client-access.js';
export type { KafkajsSaslMechanism } from './kafka/client-access.js';
export { brokerTlsFiles, generateBrokerTls, generateTestCa } from './kafka/tls.js';
export type { BrokerTls, TestCa } from './kafka/tls.js';
export { findRepoRoot, kafkaPaths, libsDir } from './kafka/layout.js';
export { classpath } from './kafka/java.js';
export {
  KafkaHarnessError,
  KafkaJarsError,
  KafkaToolError,
  KafkaAlreadyRunningError,
  KafkaPortInUseError,
  KafkaStartError,
  KafkaBusyError,
} from './kafka/errors.js';
export type { JvmProfile, KafkaLog, KafkaNodeState, KafkaState, KafkaTarget, KafkaTopology } from './kafka/types.js';
export { readmeExample, specExample } from './readme-example.js';
export { startRegistry, readRegistryState, registryRunning } from './schema-registry/start.js';
export type { StartRegistryOptions } from './schema-registry/start.js';
export { stopRegistry } from './schema-registry/stop.js';
export { resolveRegistryJar } from './schema-registry/archive.js';
export { APICURIO_VERSION, DEFAULT_REGISTRY_PORT, registryPaths } from './schema-registry/layout.js';
export type { RegistryState } from './schema-registry/layout.js';
export { RegistryHarnessError } from './schema-registry/errors.js';
