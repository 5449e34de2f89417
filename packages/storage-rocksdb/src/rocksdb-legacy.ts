import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { streamLogger } from '@goka/core';
import { storageDirectoryName } from '@goka/core/storage';
import type { GokaLogger } from '@goka/core';

/**
 * Removes the store that the npm `rocksdb` binding (5.x, one database per partition at
 * `<root>/<topic>.<partition>`) left for a partition, and logs it. That binding wrote Snappy-compressed
 * files, which `@nxtedition/rocksdb` cannot read, so the partition is rebuilt from its table topic
 * (its new store has no offset yet, so recovery starts at the oldest offset).
 */
export async function removeLegacyStore(root: string, topic: string, partition: number, logger?: GokaLogger): Promise<boolean> {
  const folder = join(root, storageDirectoryName(topic, partition));
  const current = await stat(join(folder, 'CURRENT')).catch(() => undefined);
  if (current === undefined) return false;
  await rm(folder, { recursive: true, force: true });
  (logger ?? streamLogger('warn')).warn(
    `storage of topic "${topic}" partition ${partition}: removed ${folder}, a store of the old rocksdb binding ` +
      '(its files cannot be read by the new one); the partition is rebuilt from its table topic',
    { topic, partition, path: folder },
  );
  return true;
}
