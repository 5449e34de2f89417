import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A transactional id unique to this process: `<clientId>-<host>-<pid>-<random>`. Unique is safe
 * (fencing of zombies goes by the group generation, KIP-447); a stable id only lets a restarted
 * instance abort its predecessor's open transaction sooner.
 */
export function defaultTransactionalId(clientId: string): string {
  return `${clientId}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
