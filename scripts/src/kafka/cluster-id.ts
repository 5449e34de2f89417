import { randomBytes } from 'node:crypto';

/**
 * A KRaft cluster id as `StorageTool random-uuid` makes it: 16 random bytes, base64url without padding
 * (22 characters). Like Kafka, draw again when it starts with `-`, which a command line reads as an option.
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
