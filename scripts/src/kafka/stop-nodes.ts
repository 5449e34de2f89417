import { setTimeout as delay } from 'node:timers/promises';
import { isRunning, signalProcess, waitForExit } from './processes.js';
import type { KafkaLog, KafkaNodeState } from './types.js';

/** SIGTERM runs Kafka's shutdown hook; a node still running after this long gets SIGKILL. */
export const STOP_GRACE_MS = 20_000;

/** Once the controller quorum is gone, a node left in controlled shutdown gets this long before SIGKILL. */
export const QUORUM_LOST_GRACE_MS = 2_000;

export interface StopNodesOptions {
  /** How many controller voters the profile has (all its nodes, running or not). Default: `nodes.length`. */
  readonly voters?: number;
  readonly graceMs?: number;
  readonly log?: KafkaLog;
}

/**
 * Stops nodes by their recorded pids: SIGTERM to all at once, then SIGKILL to any still running after the
 * grace period. A KRaft broker's controlled shutdown waits for the controller quorum (for minutes), so as
 * soon as fewer than a majority of the voters still run, the rest get SIGKILL after a short grace: a
 * degraded test cluster (one node SIGKILLed) then stops in seconds instead of hanging.
 */
export async function stopNodes(nodes: readonly KafkaNodeState[], options: StopNodesOptions = {}): Promise<void> {
  const targets = nodes.filter((n) => isRunning(n.pid, n.configFile)).map((n) => ({ pid: n.pid, marker: n.configFile }));
  if (targets.length === 0) return;
  const majority = Math.floor((options.voters ?? nodes.length) / 2) + 1;
  const deadline = Date.now() + (options.graceMs ?? STOP_GRACE_MS);
  for (const t of targets) signalProcess(t.pid, 'SIGTERM');

  let quorumLostAt: number | undefined;
  for (;;) {
    const alive = targets.filter((t) => isRunning(t.pid, t.marker));
    if (alive.length === 0) return;
    const now = Date.now();
    if (quorumLostAt === undefined && alive.length < majority) quorumLostAt = now;
    const quorumGone = quorumLostAt !== undefined && now - quorumLostAt >= QUORUM_LOST_GRACE_MS;
    if (quorumGone || now >= deadline) {
      const pids = alive.map((t) => t.pid);
      const why = quorumGone ? 'the controller quorum is gone' : `still running after ${Math.round((options.graceMs ?? STOP_GRACE_MS) / 1000)} s`;
      options.log?.(`pid ${pids.join(', ')}: ${why}; sending SIGKILL`);
      for (const pid of pids) signalProcess(pid, 'SIGKILL');
      await waitForExit(alive, 10_000);
      return;
    }
    await delay(100);
  }
}
