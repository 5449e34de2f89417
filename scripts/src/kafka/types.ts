import type { KafkaSecurity, SaslSslAccess } from './security.js';

/** Receives the harness's progress lines; library functions never print by themselves. */
export type KafkaLog = (line: string) => void;

/** `quick` starts fastest (functional tests); `bench` keeps Kafka's own G1 flags (benchmarks). */
export type JvmProfile = 'quick' | 'bench';

/** One broker+controller node of a topology. */
export interface KafkaNodeSpec {
  readonly nodeId: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
}

/**
 * A named set of nodes: `single` (one combined node on 9092), `single-<port>` (one on another port) or
 * `cluster-<n>`; each has its own dir, state and lock.
 */
export interface KafkaTopology {
  readonly profile: string;
  readonly nodes: readonly KafkaNodeSpec[];
}

/** What `up` records on disk, so `down` and `status` work from another process. */
export interface KafkaNodeState extends KafkaNodeSpec {
  readonly pid: number;
  readonly broker: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly dataDir: string;
}

export interface KafkaState {
  readonly profile: string;
  readonly kafkaVersion: string;
  readonly jvm: JvmProfile;
  readonly clusterId: string;
  readonly startedAt: string;
  readonly nodes: readonly KafkaNodeState[];
  /** The secured profile's CA file and test user; absent for a PLAINTEXT profile. */
  readonly saslSsl?: SaslSslAccess;
}

/** Options shared by `startKafka`, `stopKafka` and `kafkaStatus`. */
export interface KafkaTarget {
  /** 1 (default) for the single node on 9092, 3 for the cluster on 19092/29092/39092. */
  readonly nodes?: number;
  /**
   * Single node only: the PLAINTEXT port (the controller uses port + 1). Default 9092 (profile `single`);
   * any other port is its own profile `single-<port>`, which runs next to the default one.
   */
  readonly port?: number;
  /**
   * `plaintext` (default) or `sasl_ssl`: a single node whose client listener is SASL_SSL (PLAIN,
   * SCRAM-SHA-256, SCRAM-SHA-512). Without `port`, the secured node listens on 9094 (controller 9095),
   * so it runs next to the default PLAINTEXT one.
   */
  readonly security?: KafkaSecurity;
  /** Repository root; found from this module's location by default. */
  readonly root?: string;
  readonly log?: KafkaLog;
}
