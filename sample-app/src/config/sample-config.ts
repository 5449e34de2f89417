import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `sample-app/data`, wherever the app is started from (this file is in `src/config` or `dist/config`). */
export const DEFAULT_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

/** Injection token of the app's {@link SampleConfig}. */
export const SAMPLE_CONFIG = Symbol('SAMPLE_CONFIG');

/** What the sample app runs with; {@link sampleConfigFromEnv} reads it from the environment. */
export interface SampleConfig {
  /** Brokers of a real Kafka cluster (`KAFKA_BROKERS`); empty: the embedded in-memory Kafka. */
  readonly brokers: readonly string[];
  /** Where RocksDB tables (and, embedded, the Kafka journal) live (`DATA_DIR`). */
  readonly dataDir: string;
  /** Partitions of every topic the app creates (`PARTITIONS`). */
  readonly partitions: number;
  /** How many messages a feed keeps per recipient (collector). */
  readonly feedSize: number;
  /** The detector blocks a sender once it has seen this many of its messages (sent + received)... */
  readonly spamMinMessages: number;
  /** ...and at least this share of them were sent. */
  readonly spamMaxRate: number;
  /**
   * A Confluent-compatible schema registry (`SCHEMA_REGISTRY_URL`, e.g. Apicurio's
   * `http://127.0.0.1:8081/apis/ccompat/v7`); absent: the embedded in-memory one.
   */
  readonly schemaRegistryUrl?: string;
}

/** A comma-separated `KAFKA_BROKERS` as a list (blanks dropped). */
export function kafkaBrokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${raw}`);
  return value;
}

/**
 * The app's configuration from `env`: `KAFKA_BROKERS`, `DATA_DIR`, `PARTITIONS`, `SPAM_MIN_MESSAGES`,
 * `SPAM_MAX_RATE`, `SCHEMA_REGISTRY_URL`.
 */
export function sampleConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  return {
    brokers: kafkaBrokersFromEnv(env),
    dataDir: env['DATA_DIR'] === undefined || env['DATA_DIR'] === '' ? DEFAULT_DATA_DIR : resolve(env['DATA_DIR']),
    partitions: Math.floor(positiveNumber(env, 'PARTITIONS', 4)),
    feedSize: 5,
    spamMinMessages: Math.floor(positiveNumber(env, 'SPAM_MIN_MESSAGES', 200)),
    spamMaxRate: positiveNumber(env, 'SPAM_MAX_RATE', 0.9),
    ...(env['SCHEMA_REGISTRY_URL'] === undefined || env['SCHEMA_REGISTRY_URL'] === '' ? {} : { schemaRegistryUrl: env['SCHEMA_REGISTRY_URL'] }),
  };
}
