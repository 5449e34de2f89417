import { TopicNotFoundError } from '../errors/kafka-error.js';
import { connectComponent } from '../kafka/connect-component.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { GokaLogger } from '../util/logger.js';
import type { ResolvedTopicSpec } from '../topic/topic-creation.js';
import { TopicManager } from '../topic/topic-manager.js';

/**
 * The partition count of `topic`, asked through a short-lived admin client. Like Goka's emitter,
 * this never creates the topic unless `create` says how (the emitter's `createTopic`). A failing
 * disconnect of the admin client is logged, not thrown.
 *
 * @throws TopicNotFoundError when the cluster has no such topic (or it has no partitions).
 */
export async function fetchPartitionCount(
  kafka: KafkaAdapter,
  topic: string,
  clientId: string,
  logger: GokaLogger,
  create?: ResolvedTopicSpec,
): Promise<number> {
  const admin = kafka.createAdmin({ clientId });
  await connectComponent(`emitter for topic ${JSON.stringify(topic)}`, admin);
  try {
    if (create !== undefined) return await new TopicManager(admin, { logger }).ensureUserStream(topic, create);
    const description = await admin.describeTopic(topic);
    if (description === undefined || description.partitions.length === 0) throw new TopicNotFoundError(topic);
    return description.partitions.length;
  } finally {
    await admin.disconnect().catch((error: unknown) => logger.warn('disconnecting the admin client failed', { error }));
  }
}
