import { join } from 'node:path';
import { kafkajsAccess } from './client-access.js';
import { KafkaHarnessError, KafkaStartError } from './errors.js';
import { launchNode } from './launch.js';
import { libsDir } from './layout.js';
import { logTail } from './log-tail.js';
import { signalProcess, waitForExit } from './processes.js';
import { waitForCluster } from './readiness.js';
import { nodeRunning, writeState } from './state.js';
import { stopProfile } from './stop.js';
import type { KafkaPaths } from './layout.js';
import type { KafkaSecurity, SaslSslAccess } from './security.js';
import type { KafkaLog, KafkaNodeState, KafkaState } from './types.js';

/** A running profile, as `startKafka` returns it: addresses, pids and fault injection for tests. */
export interface KafkaCluster {
  readonly profile: string;
  readonly kafkaVersion: string;
  readonly clusterId: string;
  /** `127.0.0.1:<port>` of every node, in node-id order (the SASL_SSL listener's, for `sasl_ssl`). */
  readonly brokers: readonly string[];
  /** `plaintext`, or `sasl_ssl` for the secured profile. */
  readonly security: KafkaSecurity;
  /**
   * For `sasl_ssl`: the PEM file of the throw-away CA that signed the broker certificate, the test
   * user (PLAIN and SCRAM) and the enabled mechanisms. `undefined` for `plaintext`.
   */
  readonly saslSsl: SaslSslAccess | undefined;
  /** For `sasl_ssl`: the CA file clients trust (`ssl: { ca: [readFileSync(caFile)] }`). */
  readonly caFile: string | undefined;
  /** The nodes with their current pids (a restart changes a pid). */
  readonly nodes: readonly KafkaNodeState[];
  readonly pids: readonly number[];
  /** True when `startKafka({ ifRunning: 'reuse' })` found this profile already running. */
  readonly reused: boolean;
  isRunning(nodeId: number): boolean;
  /** Sends `signal` (default SIGKILL) to one node and, for SIGKILL/SIGTERM, waits until it has exited. */
  kill(nodeId: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped node again on its existing data and waits until the cluster lists it. */
  restart(nodeId: number, timeoutMs?: number): Promise<void>;
  /** Stops every node (SIGTERM, then SIGKILL after 20 s) and removes the state. Safe to call twice. */
  stop(): Promise<void>;
}

export function clusterHandle(paths: KafkaPaths, initial: KafkaState, reused: boolean, log?: KafkaLog): KafkaCluster {
  let state = initial;
  const node = (nodeId: number): KafkaNodeState => {
    const found = state.nodes.find((n) => n.nodeId === nodeId);
    if (found === undefined) {
      throw new KafkaHarnessError(`profile ${state.profile} has no node ${nodeId} (nodes ${state.nodes.map((n) => n.nodeId).join(', ')})`);
    }
    return found;
  };
  return {
    profile: state.profile,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    brokers: state.nodes.map((n) => n.broker),
    security: state.saslSsl === undefined ? 'plaintext' : 'sasl_ssl',
    saslSsl: state.saslSsl,
    caFile: state.saslSsl?.caFile,
    get nodes() {
      return state.nodes;
    },
    get pids() {
      return state.nodes.map((n) => n.pid);
    },
    reused,
    isRunning: (nodeId) => nodeRunning(node(nodeId)),
    async kill(nodeId, signal = 'SIGKILL') {
      const target = node(nodeId);
      if (!nodeRunning(target)) return;
      log?.(`sending ${signal} to node ${nodeId} (pid ${target.pid})`);
      signalProcess(target.pid, signal);
      if (signal === 'SIGKILL' || signal === 'SIGTERM') {
        const left = await waitForExit([{ pid: target.pid, marker: target.configFile }], 30_000);
        if (left.length > 0) throw new KafkaHarnessError(`node ${nodeId} (pid ${target.pid}) did not exit after ${signal}`);
      }
    },
    async restart(nodeId, timeoutMs = 90_000) {
      const old = node(nodeId);
      if (nodeRunning(old)) throw new KafkaHarnessError(`node ${nodeId} (pid ${old.pid}) is still running; kill it first`);
      const started = await launchNode(
        {
          root: paths.root,
          libs: libsDir(paths.root, state.kafkaVersion),
          jvm: state.jvm,
          log4jFile: join(paths.configDir, 'log4j2.properties'),
          logsDir: paths.logsDir,
        },
        { node: old, configFile: old.configFile, dataDir: old.dataDir },
      );
      state = { ...state, nodes: state.nodes.map((n) => (n.nodeId === nodeId ? started : n)) };
      await writeState(paths.stateFile, state);
      const ready = await waitForCluster({
        brokers: [started.broker],
        expectedBrokers: 1,
        timeoutMs,
        ...(state.saslSsl === undefined ? {} : { access: await kafkajsAccess(state.saslSsl) }),
        abortReason: () => (nodeRunning(started) ? undefined : `node ${nodeId} (pid ${started.pid}) exited`),
        includes: nodeId,
      });
      if (!ready.ready) {
        throw new KafkaStartError(`node ${nodeId} did not rejoin: ${ready.reason}\n${await logTail(started.logFile)}`);
      }
      log?.(`node ${nodeId} rejoined (pid ${started.pid})`);
    },
    async stop() {
      await stopProfile(paths, state.profile, log, state.clusterId);
    },
  };
}
