import { processorProduceRecovered, processorProduceWillRetry } from './processor.messages.js';
import type { OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { isRetriableProduceError } from '../kafka/retriable-produce-error.js';
import type { GokaLogger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import type { ProduceRetryOptions } from './processor-options.js';

/** While a produce keeps failing, one warning per this many milliseconds (the other retries log at debug). */
const WARN_EVERY_MS = 30_000;

/** Where a partition processor's produce goes, and how it is retried and logged. */
export interface ProduceRetryTarget {
  readonly group: string;
  readonly partition: number;
  /** The topic of the batch (for the log lines). */
  readonly topic: string;
  readonly retry: Required<ProduceRetryOptions>;
  readonly logger: GokaLogger;
}

/**
 * Sends `records`, retrying retriable failures with backoff (see {@link ProduceRetryOptions}).
 * Resolves `undefined` when `signal` (the generation) ends during the retries.
 */
export async function produceWithRetry(
  producer: KafkaProducer,
  records: readonly OutgoingMessage[],
  target: ProduceRetryTarget,
  signal: AbortSignal,
): Promise<ProducedOffset[] | undefined> {
  const { timeoutMs, initialMs, maxMs } = target.retry;
  const { group, partition, topic, logger } = target;
  let failingSince: number | undefined;
  let warnedAt = Number.NEGATIVE_INFINITY;
  for (let attempt = 0; ; attempt++) {
    try {
      const offsets = await producer.send(records);
      if (failingSince !== undefined) {
        logger.info(processorProduceRecovered(group, partition, topic, Date.now() - failingSince), {
          partition,
          topic,
        });
      }
      return offsets;
    } catch (error) {
      const now = Date.now();
      failingSince ??= now;
      const failingFor = now - failingSince;
      if (!isRetriableProduceError(error) || failingFor >= timeoutMs) throw error;
      if (signal.aborted) return undefined;
      const waitMs = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
      const reason = error instanceof Error ? error.message : String(error);
      const fields = { partition, topic, attempt: attempt + 1 };
      const message = processorProduceWillRetry(group, partition, topic, reason, waitMs, failingFor);
      // The first failure is a warning, and one every WARN_EVERY_MS while it goes on; the rest are debug lines.
      if (now - warnedAt >= WARN_EVERY_MS) {
        warnedAt = now;
        logger.warn(message, fields);
      } else {
        logger.debug(message, fields);
      }
      await sleep(waitMs, signal);
      if (signal.aborted) return undefined;
    }
  }
}
