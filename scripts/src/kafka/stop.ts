import { withLock } from './lock.js';
import { findRepoRoot, kafkaPaths } from './layout.js';
import { readState, removeState, runningNodes } from './state.js';
import { stopNodes } from './stop-nodes.js';
import { kafkaTopology } from './topology.js';
import type { KafkaPaths } from './layout.js';
import type { KafkaLog, KafkaTarget } from './types.js';

export interface StopResult {
  readonly profile: string;
  /** Pids that were running and are now stopped; empty when nothing ran (stopping is then a no-op). */
  readonly stopped: readonly number[];
}

/**
 * Stops a profile's recorded nodes and removes its state file (its data and logs stay for inspection
 * until the next `up`). With `clusterId`, leaves a profile alone that was restarted by someone else.
 */
export async function stopProfile(paths: KafkaPaths, profile: string, log?: KafkaLog, clusterId?: string): Promise<StopResult> {
  return withLock(paths.lockFile, async () => {
    const state = await readState(paths.stateFile);
    if (state === undefined || (clusterId !== undefined && state.clusterId !== clusterId)) {
      return { profile, stopped: [] };
    }
    const running = runningNodes(state);
    if (running.length > 0) {
      log?.(`stopping Kafka ${profile} (pid ${running.map((n) => n.pid).join(', ')}) …`);
      await stopNodes(running, { voters: state.nodes.length, log });
    }
    await removeState(paths.stateFile);
    return { profile, stopped: running.map((n) => n.pid) };
  });
}

/** `pnpm kafka down [--nodes n]`: stops the single node (default) or the n-node cluster. */
export async function stopKafka(target: KafkaTarget = {}): Promise<StopResult> {
  const topology = kafkaTopology(target.nodes, target.port, target.security);
  const root = target.root ?? findRepoRoot();
  return stopProfile(kafkaPaths(root, topology.profile), topology.profile, target.log);
}
