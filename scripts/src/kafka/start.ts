import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { kafkajsAccess } from './client-access.js';
import { clusterHandle } from './cluster.js';
import { randomClusterId } from './cluster-id.js';
import { writeKafkaConfig } from './config.js';
import { KafkaAlreadyRunningError, KafkaStartError } from './errors.js';
import { formatStorage } from './format.js';
import { pinnedKafkaVersion, resolveKafkaJars } from './jars.js';
import { launchNode } from './launch.js';
import { findRepoRoot, kafkaPaths } from './layout.js';
import { withLock } from './lock.js';
import { logTail } from './log-tail.js';
import { assertPortsFree } from './ports.js';
import { waitForCluster } from './readiness.js';
import { SASL_MECHANISMS, SASL_PASSWORD, SASL_USERNAME } from './security.js';
import type { KafkaSecurity, SaslSslAccess } from './security.js';
import { nodeRunning, readState, removeState, runningNodes, writeState } from './state.js';
import { stopNodes } from './stop-nodes.js';
import { brokerTlsFiles, generateBrokerTls } from './tls.js';
import { DEFAULT_PORT, DEFAULT_SECURED_PORT, kafkaTopology } from './topology.js';
import type { KafkaCluster } from './cluster.js';
import type { KafkaPaths } from './layout.js';
import type { JvmProfile, KafkaLog, KafkaNodeState, KafkaState, KafkaTarget, KafkaTopology } from './types.js';

export interface StartKafkaOptions extends KafkaTarget {
  /** JVM flags: `quick` (default, fast start-up for tests) or `bench` (Kafka's G1 defaults). */
  readonly jvm?: JvmProfile;
  /** How long to wait for every broker and a controller. Default 90 s. */
  readonly timeoutMs?: number;
  /**
   * When the profile already runs: `fail` (default) throws KafkaAlreadyRunningError, `reuse` returns
   * it, `replace` stops it and starts a fresh one (tests that kill nodes want their own cluster).
   */
  readonly ifRunning?: 'fail' | 'reuse' | 'replace';
}

export const DEFAULT_START_TIMEOUT_MS = 90_000;

/**
 * Starts a single node (default) or an n-node KRaft cluster on 127.0.0.1 from fresh data directories,
 * and resolves once a kafkajs admin client sees every broker and a controller. With
 * `security: 'sasl_ssl'`, a single node with a SASL_SSL listener: a throw-away CA and broker certificate
 * are generated first (keytool), and the returned cluster names the CA file and the test user.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const topology = kafkaTopology(options.nodes, options.port, options.security);
  const root = options.root ?? findRepoRoot();
  const paths = kafkaPaths(root, topology.profile);
  const log = options.log;

  return withLock(paths.lockFile, async () => {
    const existing = await readState(paths.stateFile);
    if (existing !== undefined) {
      const running = runningNodes(existing);
      if (running.length === 0) {
        await removeState(paths.stateFile); // every recorded process has gone: stale
      } else {
        const ifRunning = options.ifRunning ?? 'fail';
        const where = `${existing.nodes.map((n) => n.broker).join(',')} (pid ${running.map((n) => n.pid).join(', ')})`;
        const security = options.security ?? 'plaintext';
        if (stateSecurity(existing) !== security && ifRunning !== 'replace') {
          throw new KafkaAlreadyRunningError(
            `Kafka ${topology.profile} is already running at ${where} with security ${stateSecurity(existing)}, ` +
              `not ${security}; stop it with \`pnpm kafka down${downOptions(topology)}\``,
          );
        }
        if (ifRunning === 'reuse' && running.length === existing.nodes.length) {
          return clusterHandle(paths, existing, true, log);
        }
        if (ifRunning !== 'replace') {
          const partly = running.length < existing.nodes.length ? ' (some of its nodes have died)' : '';
          const down = `pnpm kafka down${downOptions(topology)}`;
          throw new KafkaAlreadyRunningError(
            `Kafka ${topology.profile} is already running at ${where}${partly}; stop it with \`${down}\``,
          );
        }
        log?.(`replacing the running Kafka ${topology.profile} at ${where}`);
        await stopNodes(running, { voters: existing.nodes.length, log });
        await removeState(paths.stateFile);
      }
    }
    return startFresh(topology, paths, options, log);
  });
}

/** The `pnpm kafka down` options that name `topology`'s profile. */
function downOptions(topology: KafkaTopology): string {
  if (topology.nodes.length > 1) return ` --nodes ${topology.nodes.length}`;
  const port = topology.nodes[0]?.brokerPort ?? DEFAULT_PORT;
  if (port === DEFAULT_SECURED_PORT) return ' --security sasl_ssl';
  return port === DEFAULT_PORT ? '' : ` --port ${port}`;
}

function stateSecurity(state: KafkaState): KafkaSecurity {
  return state.saslSsl === undefined ? 'plaintext' : 'sasl_ssl';
}

async function startFresh(
  topology: KafkaTopology,
  paths: KafkaPaths,
  options: StartKafkaOptions,
  log: KafkaLog | undefined,
): Promise<KafkaCluster> {
  const started = Date.now();
  const seconds = (): string => ((Date.now() - started) / 1000).toFixed(1);
  await assertPortsFree(topology);
  const [libs, kafkaVersion] = await Promise.all([
    resolveKafkaJars(paths.root, paths.pom, log),
    pinnedKafkaVersion(paths.pom),
  ]);

  await rm(paths.profileDir, { recursive: true, force: true });
  await mkdir(paths.logsDir, { recursive: true });
  const secured = options.security === 'sasl_ssl';
  // The secured profile: the config names the TLS files, which keytool writes while the storage is formatted.
  const tlsDir = join(paths.configDir, 'tls');
  const tls = secured ? brokerTlsFiles(tlsDir) : undefined;
  const saslSsl: SaslSslAccess | undefined =
    tls === undefined
      ? undefined
      : { protocol: 'sasl_ssl', caFile: tls.ca.pemFile, username: SASL_USERNAME, password: SASL_PASSWORD, mechanisms: SASL_MECHANISMS };
  const config = await writeKafkaConfig(topology, paths.configDir, paths.dataDir, tls);
  const clusterId = randomClusterId();
  await Promise.all([
    ...config.nodes.map((n) => formatStorage(libs, clusterId, n.configFile, paths.root, secured)),
    secured ? generateBrokerTls(tlsDir).then(() => log?.(`generated a throw-away CA and broker certificate in ${seconds()} s`)) : undefined,
  ]);
  log?.(`formatted ${config.nodes.length} node(s) with cluster id ${clusterId} in ${seconds()} s`);

  const jvm = options.jvm ?? 'quick';
  const nodes: KafkaNodeState[] = [];
  try {
    for (const written of config.nodes) {
      nodes.push(await launchNode({ root: paths.root, libs, jvm, log4jFile: config.log4jFile, logsDir: paths.logsDir }, written));
    }
  } catch (error) {
    await stopNodes(nodes, { voters: config.nodes.length, log });
    throw error;
  }
  const state: KafkaState = {
    profile: topology.profile,
    kafkaVersion,
    jvm,
    clusterId,
    startedAt: new Date().toISOString(),
    nodes,
    ...(saslSsl === undefined ? {} : { saslSsl }),
  };
  await writeState(paths.stateFile, state);

  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const ready = await waitForCluster({
    brokers: nodes.map((n) => n.broker),
    expectedBrokers: nodes.length,
    timeoutMs,
    ...(saslSsl === undefined ? {} : { access: await kafkajsAccess(saslSsl) }),
    abortReason: () => {
      const dead = nodes.filter((n) => !nodeRunning(n));
      return dead.length === 0 ? undefined : `node ${dead.map((n) => `${n.nodeId} (pid ${n.pid})`).join(', ')} exited`;
    },
  });
  if (!ready.ready) {
    const tails = await Promise.all(nodes.map(async (n) => `--- tail of ${n.logFile} ---\n${await logTail(n.logFile)}`));
    await stopNodes(nodes, { log });
    await removeState(paths.stateFile);
    throw new KafkaStartError(`Kafka ${kafkaVersion} ${topology.profile} did not start: ${ready.reason}\n${tails.join('\n')}`);
  }
  const how = saslSsl === undefined ? '' : ` (SASL_SSL: ${saslSsl.mechanisms.join(', ')}; CA ${saslSsl.caFile})`;
  log?.(
    `Kafka ${kafkaVersion} ${topology.profile} ready at ${nodes.map((n) => n.broker).join(',')}${how} ` +
      `(pid ${nodes.map((n) => n.pid).join(', ')}) in ${seconds()} s`,
  );
  return clusterHandle(paths, state, false, log);
}
