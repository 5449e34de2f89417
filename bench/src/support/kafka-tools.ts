import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classpath } from '@goka/scripts';
import { now } from './measure.js';

/** The pom that pins Kafka's tools (`kafka-tools` and its runtime dependencies). */
export function toolsPom(root: string): string {
  return join(root, 'scripts', 'kafka', 'tools-pom.xml');
}

const MARKER = '.complete';

/** JVM flags of the perf tools: Kafka's own `kafka-run-class.sh` G1 defaults, a heap like the broker's. */
const TOOL_JVM = ['-Xmx512m', '-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-Djava.awt.headless=true'];

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs: now() - started }),
    );
  });
}

function javaExecutable(): string {
  const home = process.env['JAVA_HOME'];
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/** The tools' version pinned in the pom (`<kafka.tools.version>`). */
export async function pinnedToolsVersion(root: string): Promise<string> {
  const text = await readFile(toolsPom(root), 'utf8');
  const version = /<kafka\.tools\.version>\s*([^<\s]+)\s*<\/kafka\.tools\.version>/.exec(text)?.[1];
  if (version === undefined) throw new Error(`${toolsPom(root)} has no <kafka.tools.version>`);
  return version;
}

/**
 * The folder `.kafka/tools-<version>` holding kafka-tools and its runtime jars, copied from Maven
 * Central (through the local Maven repository) on first use or after the pom changed; cached after.
 * Separate from the broker's `.kafka/libs-<version>`, whose jars it must not mix with.
 */
export async function resolveToolsJars(root: string, log: (line: string) => void): Promise<{ dir: string; version: string }> {
  const pom = toolsPom(root);
  const pomText = await readFile(pom, 'utf8');
  const version = await pinnedToolsVersion(root);
  const header = `pom-sha256 ${createHash('sha256').update(pomText).digest('hex')}`;
  const dir = join(root, '.kafka', `tools-${version}`);
  const marker = await readFile(join(dir, MARKER), 'utf8').catch(() => '');
  if (marker.split('\n', 1)[0] === header) return { dir, version };

  log(`resolving kafka-tools ${version} with Maven into ${dir} …`);
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await run(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
    root,
  );
  if (result.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed for ${pom}:\n${(result.stdout + result.stderr).trim()}`);
  }
  const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka-tools-${version}`))) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`Maven copied no kafka-tools-${version} jar into ${staging}`);
  }
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  await writeFile(join(dir, MARKER), `${header}\n${jars.sort().join('\n')}\n`);
  log(`resolved ${jars.length} jars`);
  return { dir, version };
}

/** What `ProducerPerformance` printed on its last line. */
export interface ProducerPerfResult {
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly mibPerSecond: number;
  /** `records / recordsPerSecond`: the tool's own time, from its first send to its last acknowledgement. */
  readonly ms: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** The JVM's wall time, start-up included. */
  readonly wallMs: number;
}

/** What `ConsumerPerformance` printed (its CSV line). */
export interface ConsumerPerfResult {
  readonly records: number;
  /** `records / (end - start)`: includes the group join, like our pipeline's time. */
  readonly recordsPerSecond: number;
  readonly ms: number;
  readonly rebalanceMs: number;
  /** `records / fetch time`: the rate after the group join. */
  readonly fetchRecordsPerSecond: number;
  readonly wallMs: number;
}

export interface ProducerPerfSpec extends ToolSpec {
  readonly recordSize: number;
}

/** What both perf tools are told: where the broker and topic are, how many records, where to run. */
export interface ToolSpec {
  readonly toolsDir: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly records: number;
  readonly cwd: string;
}

/** Runs `org.apache.kafka.tools.<tool>` on `spec`'s broker and topic for `spec.records` records, plus `args`. */
function runTool(tool: string, spec: ToolSpec, args: readonly string[]): Promise<Output> {
  const common = ['--bootstrap-server', spec.brokers.join(','), '--topic', spec.topic, '--num-records', String(spec.records)];
  return run(javaExecutable(), [...TOOL_JVM, '-cp', classpath(spec.toolsDir), `org.apache.kafka.tools.${tool}`, ...common, ...args], spec.cwd);
}

/**
 * Runs `org.apache.kafka.tools.ProducerPerformance` unthrottled with the producer's defaults (acks=all,
 * idempotent, linger.ms 5, batch.size 16 KiB; null keys, so the sticky partitioner fills all partitions).
 */
export async function producerPerformance(spec: ProducerPerfSpec): Promise<ProducerPerfResult> {
  const out = await runTool('ProducerPerformance', spec, [
    '--record-size',
    String(spec.recordSize),
    '--throughput',
    '-1',
    '--reporting-interval',
    '600000',
  ]);
  const line = out.stdout
    .split('\n')
    .reverse()
    .find((text) => text.includes('records sent'));
  const match = line === undefined ? null : /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/.exec(line.trim());
  if (out.code !== 0 || match === null) {
    throw new Error(`ProducerPerformance failed (exit ${String(out.code)}):\n${out.stdout}\n${out.stderr}`.trim());
  }
  const records = Number(match[1]);
  const recordsPerSecond = Number(match[2]);
  const percentile = (name: string): number | undefined => {
    const found = new RegExp(`(\\d+) ms ${name}`).exec(line ?? '');
    return found === null ? undefined : Number(found[1]);
  };
  return {
    records,
    recordsPerSecond,
    mibPerSecond: Number(match[3]),
    ms: (records * 1000) / recordsPerSecond,
    avgLatencyMs: Number(match[4]),
    maxLatencyMs: Number(match[5]),
    p50Ms: percentile('50th'),
    p99Ms: percentile('99th'),
    wallMs: out.wallMs,
  };
}

export interface ConsumerPerfSpec extends ToolSpec {
  readonly group: string;
}

/** Runs `org.apache.kafka.tools.ConsumerPerformance` (a new group, from the earliest offset, its default fetch sizes). */
export async function consumerPerformance(spec: ConsumerPerfSpec): Promise<ConsumerPerfResult> {
  const out = await runTool('ConsumerPerformance', spec, [
    '--group',
    spec.group,
    '--timeout',
    '60000',
  ]);
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = out.stdout
    .split('\n')
    .reverse()
    .find((text) => /^\d{4}-\d\d-\d\d /.test(text.trim()));
  const cells = line?.split(',').map((cell) => cell.trim()) ?? [];
  if (out.code !== 0 || cells.length < 10) {
    throw new Error(`ConsumerPerformance failed (exit ${String(out.code)}):\n${out.stdout}\n${out.stderr}`.trim());
  }
  const records = Number(cells[4]);
  const recordsPerSecond = Number(cells[5]);
  return {
    records,
    recordsPerSecond,
    ms: (records * 1000) / recordsPerSecond,
    rebalanceMs: Number(cells[6]),
    fetchRecordsPerSecond: Number(cells[9]),
    wallMs: out.wallMs,
  };
}
