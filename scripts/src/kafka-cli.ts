#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runCli } from './cli-run.js';
import { KafkaAlreadyRunningError, KafkaHarnessError } from './kafka/errors.js';
import { resolveKafkaJars } from './kafka/jars.js';
import { findRepoRoot, kafkaPaths } from './kafka/layout.js';
import { startKafka } from './kafka/start.js';
import { kafkaStatus } from './kafka/status.js';
import { stopKafka, stopProfile } from './kafka/stop.js';
import type { StopResult } from './kafka/stop.js';
import type { KafkaSecurity } from './kafka/security.js';
import type { JvmProfile } from './kafka/types.js';

const USAGE = `usage: pnpm kafka <command> [options]

  up      [--nodes N] [--port P] [--security plaintext|sasl_ssl] [--jvm quick|bench] [--timeout SECONDS]
          start a single node (127.0.0.1:9092, controller 9093; profile \`single\`, or
          \`single-P\` with another --port P) or an N-node cluster (19092, 29092, 39092 …;
          profile \`cluster-N\`) from fresh data dirs, and wait until it is ready.
          --security sasl_ssl: a single node whose client listener is SASL_SSL (default port
          9094, controller 9095): SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for the test user
          goka / goka-secret, TLS with a throw-away CA generated at start (its PEM file is printed)
  down    [--nodes N | --port P | --security sasl_ssl | --all]
          stop it (SIGTERM, SIGKILL after 20 s); a no-op when none runs
  restart [--nodes N | --port P | --security sasl_ssl] [--down-for SECONDS]
          stop every node of a running profile (SIGTERM) and, after --down-for seconds
          (default 0), start it again on its data (topics, records and offsets kept)
  status  [--nodes N | --port P | --security sasl_ssl]
          show what runs (every profile when none is given), with the CA file of a secured one
  jars                          resolve the broker jars from Maven Central and print their folder`;

const log = (line: string): void => console.log(`[kafka] ${line}`);

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new KafkaHarnessError(`${name} must be an integer, got ${value}`);
  return n;
}

function securityOption(value: string | undefined): KafkaSecurity | undefined {
  if (value === undefined || value === 'plaintext' || value === 'sasl_ssl') return value;
  throw new KafkaHarnessError(`--security must be plaintext or sasl_ssl, got ${value}`);
}

function jvmOption(value: string | undefined): JvmProfile | undefined {
  if (value === undefined || value === 'quick' || value === 'bench') return value;
  throw new KafkaHarnessError(`--jvm must be quick or bench, got ${value}`);
}

/** `down --all`: every profile that has a state file (`single`, `single-<port>`, `cluster-<n>`), by its name. */
async function stopEveryProfile(): Promise<StopResult[]> {
  const root = findRepoRoot();
  const results: StopResult[] = [];
  for (const { profile } of await kafkaStatus({ root })) results.push(await stopProfile(kafkaPaths(root, profile), profile, log));
  return results;
}

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      nodes: { type: 'string' },
      port: { type: 'string' },
      jvm: { type: 'string' },
      timeout: { type: 'string' },
      all: { type: 'boolean' },
      'down-for': { type: 'string' },
      security: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  const nodes = intOption(values.nodes, '--nodes');
  const port = intOption(values.port, '--port');
  const security = securityOption(values.security);
  if (values.help === true || command === undefined) {
    console.log(USAGE);
    return command === undefined && values.help !== true ? 1 : 0;
  }
  switch (command) {
    case 'up': {
      const timeout = intOption(values.timeout, '--timeout');
      try {
        await startKafka({
          nodes,
          port,
          security,
          log,
          jvm: jvmOption(values.jvm),
          ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
        });
      } catch (error) {
        if (!(error instanceof KafkaAlreadyRunningError)) throw error;
        log(error.message);
      }
      return 0;
    }
    case 'down': {
      const results =
        values.all === true
          ? await stopEveryProfile()
          : [await stopKafka({ nodes, port, security, log })];
      for (const result of results) {
        log(result.stopped.length === 0 ? `${result.profile}: nothing running` : `${result.profile}: stopped pid ${result.stopped.join(', ')}`);
      }
      return 0;
    }
    case 'restart': {
      const downFor = intOption(values['down-for'], '--down-for') ?? 0;
      const target = nodes === undefined && port === undefined && security === undefined ? { nodes: 1 } : { nodes, port, security };
      const [status] = await kafkaStatus(target);
      if (status === undefined || status.runningNodeIds.length !== status.state.nodes.length) {
        throw new KafkaHarnessError(`no running broker to restart (${status?.profile ?? 'profile not found'}); start it with pnpm kafka up`);
      }
      const secured = status.state.saslSsl === undefined ? {} : { security: 'sasl_ssl' as const };
      const cluster = await startKafka({ ...target, ...secured, log, ifRunning: 'reuse' });
      for (const node of cluster.nodes) await cluster.kill(node.nodeId, 'SIGTERM');
      log(`${cluster.profile}: stopped; starting again in ${downFor} s`);
      await new Promise((resolve) => setTimeout(resolve, downFor * 1000));
      for (const node of cluster.nodes) await cluster.restart(node.nodeId);
      log(`${cluster.profile}: running again on its data`);
      return 0;
    }
    case 'status': {
      const profiles = await kafkaStatus({ nodes, port, security });
      if (profiles.length === 0) log('no Kafka started by this project is running');
      for (const p of profiles) {
        const all = p.runningNodeIds.length === p.state.nodes.length;
        const health = p.runningNodeIds.length === 0 ? 'NOT RUNNING (stale state)' : all ? 'running' : 'DEGRADED';
        log(`${p.profile}: ${health}, Kafka ${p.state.kafkaVersion}, cluster ${p.state.clusterId}, since ${p.state.startedAt}`);
        for (const n of p.state.nodes) {
          const up = p.runningNodeIds.includes(n.nodeId) ? 'up' : 'down';
          log(`  node ${n.nodeId} ${up}: ${n.broker} controller 127.0.0.1:${n.controllerPort} pid ${n.pid} log ${n.logFile}`);
        }
        const secured = p.state.saslSsl;
        if (secured !== undefined) {
          log(`  SASL_SSL: mechanisms ${secured.mechanisms.join(', ')}, user ${secured.username} / ${secured.password}`);
          log(`  CA file (ssl: { ca: [readFileSync(caFile)] }): ${secured.caFile}`);
        }
      }
      return 0;
    }
    case 'jars': {
      const root = findRepoRoot();
      console.log(await resolveKafkaJars(root, kafkaPaths(root, 'single').pom, log));
      return 0;
    }
    default:
      console.error(`unknown command: ${command}\n${USAGE}`);
      return 1;
  }
}

runCli('kafka', () => main(process.argv.slice(2)), KafkaHarnessError);
