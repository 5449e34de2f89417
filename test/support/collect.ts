import type { Consumer, KafkaMessage } from 'kafkajs';

export interface Received {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
}

function received(partition: number, message: KafkaMessage): Received {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
  };
}

/**
 * Runs `consumer` (already subscribed) and resolves with the first `count` messages that eachMessage
 * delivers, or rejects after `timeoutMs` naming how many arrived: no fixed sleeps, only this signal.
 */
export async function collectMessages(consumer: Consumer, count: number, timeoutMs = 60_000): Promise<Received[]> {
  const messages: Received[] = [];
  let done!: () => void;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`received ${messages.length} of ${count} messages within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      messages.push(received(partition, message));
      if (messages.length >= count) done();
    },
  });
  try {
    await Promise.race([enough, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return messages;
}
