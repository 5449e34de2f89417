import { setTimeout as delay } from 'node:timers/promises';
import { describeCluster } from '@goka/scripts';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `KAFKA_BROKERS` (comma separated, default 127.0.0.1:9092), checked to answer before any test runs. */
    kafkaBrokers: string[];
  }
}

const RETRY_WINDOW_MS = 10_000;

/** The brokers the system tests use: `KAFKA_BROKERS`, comma separated, default `127.0.0.1:9092`. */
export function configuredBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  return list.length > 0 ? list : ['127.0.0.1:9092'];
}

/**
 * Global setup of the `system` project: a real broker must answer a kafkajs describeCluster, or the run
 * fails here with what to do. System tests never skip for lack of a broker.
 */
export default async function requireBroker(project: TestProject): Promise<void> {
  const brokers = configuredBrokers();
  const deadline = Date.now() + RETRY_WINDOW_MS;
  let lastError: unknown;
  for (;;) {
    try {
      const view = await describeCluster(brokers);
      if (view.brokerIds.length > 0) break;
      lastError = new Error('describeCluster listed no brokers');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(
        `no Kafka broker at ${brokers.join(',')} (${why}); start one with \`pnpm kafka up\` ` +
          '(or point KAFKA_BROKERS at a running broker)',
      );
    }
    await delay(250);
  }
  project.provide('kafkaBrokers', brokers);
}
