import kafkajs from 'kafkajs';
import { findRepoRoot, kafkaPaths, kafkaStatus, pinnedKafkaVersion, startKafka } from '@goka/scripts';

/** The broker a bench runs against, and how to let go of it. */
export interface BenchBroker {
  readonly brokers: readonly string[];
  /** `env`: KAFKA_BROKERS; `started`: the bench started it; `reused`: the harness already ran it. */
  readonly source: 'env' | 'started' | 'reused';
  /** The broker's Kafka version (for `env`: the version the harness pins, marked as such). */
  readonly kafkaVersion: string;
  /** JVM flag profile of a harness broker (`bench` or `quick`); `undefined` for `env`. */
  readonly jvm: string | undefined;
  /** The harness profile (`single-<port>`), `undefined` for `env`. */
  readonly profile: string | undefined;
  /** Stops the broker if the bench started it (and was not asked to keep it); otherwise does nothing. */
  release(): Promise<void>;
}

export interface AcquireBrokerOptions {
  /** Port of the bench's own single node (its controller listens on port + 1). */
  readonly port: number;
  /** Leave a broker the bench started running. */
  readonly keep: boolean;
  readonly log: (line: string) => void;
}

/**
 * `KAFKA_BROKERS` when set; otherwise a single node of the project's harness on `port` with
 * Kafka's own G1 flags (`jvm: 'bench'`), next to (not instead of) the shared test broker on 9092.
 * A node already running on that port is reused and left running.
 */
export async function acquireBroker(options: AcquireBrokerOptions): Promise<BenchBroker> {
  const { log } = options;
  const fromEnv = process.env['KAFKA_BROKERS'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const brokers = fromEnv
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== '');
    const pinned = await pinnedKafkaVersion(kafkaPaths(findRepoRoot(), 'single').pom).catch(() => 'unknown');
    log(`using KAFKA_BROKERS=${brokers.join(',')}`);
    return {
      brokers,
      source: 'env',
      kafkaVersion: `unknown (KAFKA_BROKERS; the harness pins ${pinned})`,
      jvm: undefined,
      profile: undefined,
      release: async () => {},
    };
  }

  const cluster = await startKafka({
    port: options.port,
    jvm: 'bench',
    ifRunning: 'reuse',
    log: (line) => log(`[kafka] ${line}`),
  });
  const [status] = await kafkaStatus({ port: options.port }).catch(() => []);
  const expected = `127.0.0.1:${options.port}`;
  if (!cluster.brokers.includes(expected)) {
    // An older harness maps every single node to the one `single` profile: it handed us that broker.
    log(`the harness returned ${cluster.brokers.join(',')} instead of a node on ${expected}; benchmarking on it`);
  }
  const keep = options.keep || cluster.reused;
  if (cluster.reused) log(`reusing the running Kafka ${cluster.profile} at ${cluster.brokers.join(',')} (left running)`);
  return {
    brokers: cluster.brokers,
    source: cluster.reused ? 'reused' : 'started',
    kafkaVersion: cluster.kafkaVersion,
    jvm: status?.state.jvm,
    profile: cluster.profile,
    release: async () => {
      if (keep) {
        if (!cluster.reused) log(`leaving Kafka ${cluster.profile} running: stop it with \`pnpm kafka down --port ${options.port}\``);
        return;
      }
      log(`stopping the bench's Kafka ${cluster.profile} …`);
      await cluster.stop();
    },
  };
}

/** A broker held for one bench run: released once, also when the process gets SIGINT or SIGTERM. */
export interface BrokerSession {
  readonly broker: BenchBroker;
  /** Releases the broker (stops it if the bench started it) and removes the signal handlers. Idempotent. */
  release(): Promise<void>;
}

/** {@link acquireBroker}, plus cleanup on Ctrl-C / SIGTERM and a log line naming the broker. */
export async function acquireBrokerSession(options: AcquireBrokerOptions): Promise<BrokerSession> {
  const broker = await acquireBroker(options);
  let released: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    options.log(`${signal}: cleaning up …`);
    void release().finally(() => process.exit(130));
  };
  const release = (): Promise<void> => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    released ??= broker.release();
    return released;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  options.log(
    `Kafka ${broker.kafkaVersion} at ${broker.brokers.join(',')} (${broker.source}${broker.jvm === undefined ? '' : `, jvm ${broker.jvm}`})`,
  );
  return { broker, release };
}

/**
 * After a run: deletes a topic the bench created from a broker that stays up (a broker the bench
 * started goes away with it), or says how to read a kept topic again.
 */
export async function cleanUpTopic(options: {
  readonly broker: BenchBroker;
  readonly topic: string;
  readonly created: boolean;
  readonly keep: boolean;
  readonly what: string;
  readonly log: (line: string) => void;
}): Promise<void> {
  const { broker, topic, created, keep, what, log } = options;
  if (!created) return;
  if (keep) {
    log(`${what} ${topic} kept (use it again with --topic ${topic})`);
  } else if (broker.source !== 'started') {
    await deleteTopic(broker.brokers, topic).catch((error: unknown) => log(`could not delete topic ${topic}: ${String(error)}`));
  }
}

/** Deletes `topic` (the bench's own client, errors only). */
async function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  const admin = new kafkajs.Kafka({ clientId: 'bench-cleanup', brokers: [...brokers], logLevel: kafkajs.logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}
