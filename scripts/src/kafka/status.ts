import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findRepoRoot, kafkaPaths } from './layout.js';
import { nodeRunning, readState } from './state.js';
import { kafkaTopology } from './topology.js';
import type { KafkaState, KafkaTarget } from './types.js';

export interface ProfileStatus {
  readonly profile: string;
  readonly state: KafkaState;
  /** Node ids whose recorded process is alive. */
  readonly runningNodeIds: readonly number[];
  readonly brokers: readonly string[];
}

const STATE_SUFFIX = '.state.json';

/**
 * What runs: with `nodes` (or `port`, or `security`) the one profile, else every profile that has a state file.
 * A profile whose processes all died is listed with no running nodes.
 */
export async function kafkaStatus(target: KafkaTarget = {}): Promise<ProfileStatus[]> {
  const root = target.root ?? findRepoRoot();
  const profiles =
    target.nodes === undefined && target.port === undefined && target.security === undefined
      ? await allProfiles(join(root, '.kafka'))
      : [kafkaTopology(target.nodes, target.port, target.security).profile];
  const result: ProfileStatus[] = [];
  for (const profile of profiles) {
    const state = await readState(kafkaPaths(root, profile).stateFile);
    if (state === undefined) continue;
    result.push({
      profile,
      state,
      runningNodeIds: state.nodes.filter(nodeRunning).map((n) => n.nodeId),
      brokers: state.nodes.map((n) => n.broker),
    });
  }
  return result;
}

async function allProfiles(cacheDir: string): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(STATE_SUFFIX)).map((n) => n.slice(0, -STATE_SUFFIX.length)).sort();
}
