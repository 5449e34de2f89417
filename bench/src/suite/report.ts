import type { FillResult } from '../support/fill.js';
import { duration, labelThenNumbers, renderTable, thousands } from '../support/format.js';
import type { Column } from '../support/format.js';
import type { MachineDescription } from '../support/machine.js';
import type { BrokerCeilingResult } from './broker-ceiling.js';
import { medianRate } from './compression.js';
import type { CompressionPhase, CompressionResult } from './compression.js';
import type { WorkerCountResult } from './count.js';
import { BUSY_PRESSURE } from './latency.js';
import type { LatencyResult, LatencyStats } from './latency.js';
import type { RecoveryResult } from './recovery.js';
import { STORAGE_LABEL } from './storage.js';
import type { StorageCount, StorageResult } from './storage.js';

/** The issue's targets. */
export const TARGETS = {
  countRatioToRaw: 0.8,
  coldRecoveryRecordsPerSecond: 150_000,
  p99LatencyMs: 50,
  /** 400 MB = 400 × 10^6 bytes ≈ 381.5 MiB (the stricter reading of "MB"). */
  rssMiB: 400e6 / (1024 * 1024),
  /** Storage: the count pipeline at the wide partition count vs the narrow one, one instance. */
  wideRatio: 0.8,
  /** Storage: peak RSS of one instance at the wide partition count, MiB. */
  wideRssMiB: 400,
  /** Exactly-once (issue 16): the count pipeline's msgs/s against at-least-once in the same run. */
  exactlyOnceRatio: 0.7,
} as const;

/** One phase over its rounds: the median round by time, and every round's time. */
export interface CountRounds {
  readonly median: WorkerCountResult;
  readonly roundMs: readonly number[];
  /** Every round's peak RSS per process, MiB (the target is checked on the highest). */
  readonly roundPeakRssMiB: ReadonlyArray<readonly number[]>;
}

/** The exactly-once count pipeline (1 process) at one commit interval, over the rounds. */
export interface ExactlyOnceRounds {
  readonly commitIntervalMs: number;
  readonly rounds: CountRounds;
}

export interface SuiteResults {
  readonly countFill: FillResult | undefined;
  readonly raw: CountRounds | undefined;
  readonly one: CountRounds | undefined;
  /** Issue 16: the count pipeline in exactly-once mode, one entry per commit interval (the first is the target's). */
  readonly exactlyOnce?: readonly ExactlyOnceRounds[];
  readonly two: CountRounds | undefined;
  readonly broker: BrokerCeilingResult | undefined;
  readonly recovery: RecoveryResult | undefined;
  readonly latency: LatencyResult | undefined;
  readonly storage: StorageResult | undefined;
  readonly compression?: CompressionResult | undefined;
  /** Phases that failed (their rounds are missing from the results): findings, not noise. */
  readonly failures: readonly string[];
}

export interface RunDescription {
  readonly date: Date;
  readonly revision: string | undefined;
  readonly machine: MachineDescription;
  readonly kafkaVersion: string;
  readonly brokers: readonly string[];
  readonly brokerSource: string;
  readonly jvm: string | undefined;
  readonly loadAverage: readonly number[];
  /** Share of the run's wall time during which some task waited for a CPU (Linux PSI); `undefined` without PSI. */
  readonly cpuPressure: number | undefined;
  readonly command: string;
  readonly totalMs: number;
}

type Verdict = 'met' | 'missed' | '';

/** One line of the combined table. */
export interface SummaryRow {
  readonly item: string;
  readonly measurement: string;
  readonly ours: string;
  readonly reference: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict;
}

const times = (value: number): string => `${value.toFixed(3)}×`;
const verdict = (met: boolean): Verdict => (met ? 'met' : 'missed');
const latencyText = (s: LatencyStats): string => `${s.p50} / ${s.p99} / ${s.max} ms`;

/** A summary row comparing two rates (and their ratio); without `target` it has none and no verdict. */
function rateRow(item: string, measurement: string, ours: number, reference: number, target?: { readonly text: string; readonly met: boolean }): SummaryRow {
  return {
    item,
    measurement,
    ours: thousands(ours),
    reference: thousands(reference),
    ratio: times(ours / reference),
    target: target?.text ?? '—',
    verdict: target === undefined ? '' : verdict(target.met),
  };
}

/** The combined table: one row per measurement of the issue, with its target and verdict. */
export function summaryRows(results: SuiteResults): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const { raw, one, two, broker, recovery, latency } = results;
  const oneRate = one === undefined ? undefined : one.median.messagesPerSecond;
  if (oneRate !== undefined && raw !== undefined) {
    const rawRate = raw.median.messagesPerSecond;
    const r = oneRate / rawRate;
    rows.push(rateRow('1', 'count pipeline, msgs/s (1 process) vs raw kafkajs passthrough', oneRate, rawRate,
      { text: `≥ ${TARGETS.countRatioToRaw.toFixed(2)}× raw`, met: r >= TARGETS.countRatioToRaw }));
  }
  if (oneRate !== undefined && broker !== undefined) {
    rows.push(rateRow('1', 'count pipeline vs broker ceiling (Kafka perf tools, produce+consume at once)', oneRate, broker.messagesPerSecond));
  }
  if (raw !== undefined && broker !== undefined) {
    rows.push(rateRow('1', 'raw kafkajs passthrough vs broker ceiling', raw.median.messagesPerSecond, broker.messagesPerSecond));
  }
  for (const [index, eos] of (results.exactlyOnce ?? []).entries()) {
    if (oneRate === undefined) break;
    const rate = eos.rounds.median.messagesPerSecond;
    const interval = `commit ${eos.commitIntervalMs} ms vs ${one?.median.commitIntervalMs ?? '?'} ms`;
    rows.push(rateRow('1', `count pipeline exactly-once vs at-least-once, msgs/s (1 process, ${interval})`, rate, oneRate,
      index === 0 ? { text: `≥ ${TARGETS.exactlyOnceRatio.toFixed(2)}×`, met: rate / oneRate >= TARGETS.exactlyOnceRatio } : undefined));
  }
  if (two !== undefined && oneRate !== undefined) {
    rows.push(rateRow('2', 'count pipeline, 2 processes vs 1 process (scaling)', two.median.messagesPerSecond, oneRate));
  }
  if (recovery !== undefined) {
    const cold = recovery.cold.recordsPerSecond ?? 0;
    rows.push(rateRow('3', `recovery cold, ${thousands(recovery.cold.records)} keys into RocksDB, records/s vs kafkajs consumer`, cold, recovery.kafkajs.recordsPerSecond,
      { text: `≥ ${thousands(TARGETS.coldRecoveryRecordsPerSecond)} rec/s`, met: cold >= TARGETS.coldRecoveryRecordsPerSecond }));
    rows.push({
      item: '3',
      measurement: `recovery warm (restart with local state), time to ready vs cold`,
      ours: duration(recovery.warm.ms),
      reference: duration(recovery.cold.ms),
      ratio: times(recovery.warm.ms / recovery.cold.ms),
      target: '—',
      verdict: '',
    });
  }
  if (latency !== undefined) {
    rows.push({
      item: '4',
      measurement: `latency emit → View, p50 / p99 / max at ${thousands(latency.ours.achievedRate)} msgs/s vs raw kafkajs 2 hops`,
      ours: latencyText(latency.ours.endToEnd),
      reference: latencyText(latency.raw.endToEnd),
      ratio: `p99 ${times(latency.ours.endToEnd.p99 / latency.raw.endToEnd.p99)}`,
      target: `p99 < ${TARGETS.p99LatencyMs} ms`,
      verdict: verdict(latency.ours.endToEnd.p99 < TARGETS.p99LatencyMs && latency.ours.endToEnd.missing === 0),
    });
    for (const eos of latency.exactlyOnce ?? []) {
      rows.push({
        item: '4',
        measurement: `latency emit → View (read_committed), exactly-once, commit ${eos.commitIntervalMs} ms, p50 / p99 / max vs at-least-once`,
        ours: latencyText(eos.endToEnd),
        reference: latencyText(latency.ours.endToEnd),
        ratio: `p99 ${times(eos.endToEnd.p99 / latency.ours.endToEnd.p99)}`,
        target: '—',
        verdict: '',
      });
    }
  }
  const rssTarget = `< 400 MB (${TARGETS.rssMiB.toFixed(0)} MiB)`;
  const highest = (phase: CountRounds): number => Math.max(...phase.roundPeakRssMiB.flat());
  const rounds = (phase: CountRounds): string => (phase.roundPeakRssMiB.length === 1 ? '' : `, highest of ${phase.roundPeakRssMiB.length} rounds`);
  if (one !== undefined) {
    const rss = highest(one);
    rows.push({ item: '5', measurement: `peak RSS of the processor process, count pipeline (1${rounds(one)})`, ours: `${rss.toFixed(0)} MiB`,
      reference: '—', ratio: '—', target: rssTarget, verdict: verdict(rss < TARGETS.rssMiB) });
  }
  if (two !== undefined) {
    rows.push({ item: '5', measurement: `peak RSS of a processor process, 2 processes (2${rounds(two)})`, ours: `${highest(two).toFixed(0)} MiB`,
      reference: '—', ratio: '—', target: '—', verdict: '' });
  }
  if (recovery !== undefined) {
    const rss = recovery.cold.peakRssMiB;
    rows.push({ item: '5', measurement: 'peak RSS of the processor process, cold recovery (3)', ours: `${rss.toFixed(0)} MiB`,
      reference: '—', ratio: '—', target: rssTarget, verdict: verdict(rss < TARGETS.rssMiB) });
  }
  if (results.storage !== undefined) rows.push(...storageRows(results.storage));
  if (results.compression !== undefined) rows.push(...compressionRows(results.compression));
  return rows;
}

const WRITER_LABEL: Record<CompressionPhase['writer'], string> = { emitter: 'Emitter', processor: "processor's outputs" };

/** Rows of the compression section (issue 15): each write codec's msgs/s against `none`'s, per writer. */
function compressionRows(result: CompressionResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const writer of ['emitter', 'processor'] as const) {
    const none = result.phases.find((phase) => phase.writer === writer && phase.compression === 'none');
    if (none === undefined || none.rounds.length === 0) continue;
    for (const phase of result.phases) {
      if (phase.writer !== writer || phase.compression === 'none' || phase.rounds.length === 0) continue;
      rows.push(rateRow('7', `compression: ${WRITER_LABEL[writer]}, ${phase.compression} vs none, msgs/s (Node ${result.node})`, medianRate(phase), medianRate(none)));
    }
  }
  return rows;
}

/** The compression section's details: every phase's rounds and the bytes its topic took on the broker. */
function compressionDetails(result: CompressionResult, table: (columns: readonly Column[], rows: ReadonlyArray<readonly string[]>) => string): string[] {
  const noneBytes = (writer: CompressionPhase['writer']): number | undefined =>
    result.phases.find((phase) => phase.writer === writer && phase.compression === 'none')?.logBytes;
  const rows = result.phases.map((phase) => {
    const none = noneBytes(phase.writer);
    return [
      `${WRITER_LABEL[phase.writer]}, ${phase.compression}`,
      thousands(medianRate(phase)),
      phase.rounds.map((rate) => thousands(rate)).join(', '),
      phase.logBytes === undefined ? '—' : (phase.logBytes / 1024 / 1024).toFixed(1),
      phase.logBytes === undefined || none === undefined ? '—' : times(phase.logBytes / none),
    ];
  });
  return [
    `${thousands(result.records)} JSON events of ${result.valueBytes.toFixed(0)} B on average per phase and round; the processor reads them from an uncompressed topic and emits each to its output.`,
    '',
    table(labelThenNumbers('writer, codec', 'msgs/s (median)', 'every round', 'MiB on the broker', 'bytes vs none'), rows),
    '',
  ];
}

/** The round with the median time (the lower of the two middle ones for an even count). */
function medianRound(rounds: readonly WorkerCountResult[]): WorkerCountResult | undefined {
  return [...rounds].sort((a, b) => a.ms - b.ms)[Math.floor((rounds.length - 1) / 2)];
}

/** The median round of a storage count phase by time, and its highest peak RSS over the rounds. */
function storagePhase(result: StorageResult, storage: StorageCount['storage'], partitions: number): { rate: number; rssMiB: number } | undefined {
  const phase = result.counts.find((count) => count.storage === storage && count.partitions === partitions);
  if (phase === undefined || phase.rounds.length === 0) return undefined;
  const median = medianRound(phase.rounds);
  const rssMiB = Math.max(...phase.rounds.flatMap((round) => round.workers.map((w) => w.peakRssMiB)));
  return median === undefined ? undefined : { rate: median.messagesPerSecond, rssMiB };
}

/** Rows of the storage section (issue 13): the new binding against the old one, and 128 partitions against 8. */
function storageRows(result: StorageResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const partitions = [...new Set(result.counts.map((count) => count.partitions))].sort((a, b) => a - b);
  const [narrow, wide] = partitions;
  const node = `Node ${result.node}`;
  const rss = (mib: number): string => `${mib.toFixed(0)} MiB`;
  for (const count of partitions) {
    const ours = storagePhase(result, 'rocksdb', count);
    const old = storagePhase(result, 'rocksdb-legacy', count);
    if (ours === undefined || old === undefined) continue;
    rows.push(rateRow('6', `storage: count pipeline, ${count} partitions, new binding vs old, msgs/s (${node})`, ours.rate, old.rate));
    rows.push({ item: '6', measurement: `storage: peak RSS, count pipeline, ${count} partitions, new binding vs old (${node})`, ours: rss(ours.rssMiB),
      reference: rss(old.rssMiB), ratio: times(ours.rssMiB / old.rssMiB), target: '—', verdict: '' });
  }
  const narrowOurs = narrow === undefined ? undefined : storagePhase(result, 'rocksdb', narrow);
  const wideOurs = wide === undefined ? undefined : storagePhase(result, 'rocksdb', wide);
  if (narrowOurs !== undefined && wideOurs !== undefined && wide !== undefined && narrow !== undefined) {
    rows.push(rateRow('6', `storage: count pipeline, ${wide} vs ${narrow} partitions per instance, msgs/s (new binding)`, wideOurs.rate, narrowOurs.rate,
      { text: `≥ ${TARGETS.wideRatio.toFixed(2)}×`, met: wideOurs.rate / narrowOurs.rate >= TARGETS.wideRatio }));
    rows.push({ item: '6', measurement: `storage: peak RSS, count pipeline, ${wide} partitions per instance (new binding)`, ours: rss(wideOurs.rssMiB),
      reference: rss(narrowOurs.rssMiB), ratio: times(wideOurs.rssMiB / narrowOurs.rssMiB), target: `≤ ${TARGETS.wideRssMiB} MiB`,
      verdict: verdict(wideOurs.rssMiB <= TARGETS.wideRssMiB) });
  }
  const ours = result.recoveries.find((r) => r.storage === 'rocksdb');
  const old = result.recoveries.find((r) => r.storage === 'rocksdb-legacy');
  if (ours !== undefined && old !== undefined) {
    rows.push(rateRow('6', `storage: cold recovery of ${thousands(ours.cold.records)} keys, new binding vs old, records/s`, ours.cold.recordsPerSecond ?? 0, old.cold.recordsPerSecond ?? 0));
    rows.push({ item: '6', measurement: 'storage: peak RSS, cold recovery, new binding vs old', ours: rss(ours.cold.peakRssMiB), reference: rss(old.cold.peakRssMiB),
      ratio: times(ours.cold.peakRssMiB / old.cold.peakRssMiB), target: '—', verdict: '' });
    rows.push({ item: '6', measurement: 'storage: warm restart (local state), time to ready, new binding vs old', ours: duration(ours.warm.ms), reference: duration(old.warm.ms),
      ratio: times(ours.warm.ms / old.warm.ms), target: '—', verdict: '' });
  }
  return rows;
}

/** The storage section's details: every phase's rounds, and the recoveries. */
function storageDetails(result: StorageResult, table: (columns: readonly Column[], rows: ReadonlyArray<readonly string[]>) => string): string[] {
  const out: string[] = [];
  if (result.legacySkipped !== undefined) out.push(`The old binding did not run: ${result.legacySkipped}.`, '');
  const rows = result.counts.filter((count) => count.rounds.length > 0).map((count) => {
    const median = medianRound(count.rounds);
    const peak = count.rounds.flatMap((round) => round.workers);
    return [`count, ${count.partitions} partitions, ${STORAGE_LABEL[count.storage]}`, thousands(median?.messagesPerSecond ?? 0),
      count.rounds.map((round) => thousands(round.messagesPerSecond)).join(', '), peak.map((w) => w.peakRssMiB.toFixed(0)).join(', '),
      peak.map((w) => `${w.atPeakMiB.heapTotal.toFixed(0)} / ${w.atPeakMiB.rss.toFixed(0)}`).join(', ')];
  });
  for (const recovery of result.recoveries) {
    rows.push([`cold recovery, ${STORAGE_LABEL[recovery.storage]}`, thousands(recovery.cold.recordsPerSecond ?? 0), duration(recovery.cold.ms),
      recovery.cold.peakRssMiB.toFixed(0), `${recovery.cold.atPeak.heapTotalMiB.toFixed(0)} / ${recovery.cold.atPeak.rssMiB.toFixed(0)}`]);
    rows.push([`warm restart, ${STORAGE_LABEL[recovery.storage]}`, '—', duration(recovery.warm.ms), recovery.warm.peakRssMiB.toFixed(0), '—']);
  }
  out.push(table(labelThenNumbers('phase', 'msgs/s or records/s (median)', 'every round (or time)', 'peak RSS MiB, every round', 'JS heap / RSS at the highest sample, MiB'), rows), '');
  return out;
}

const SUMMARY_COLUMNS: readonly Column[] = [
  { title: '#', align: 'left' },
  { title: 'measurement', align: 'left' },
  { title: 'ours', align: 'right' },
  { title: 'reference', align: 'right' },
  { title: 'ratio', align: 'right' },
  { title: 'target', align: 'left' },
  { title: 'met?', align: 'left' },
];

const cells = (row: SummaryRow): string[] => [row.item, row.measurement, row.ours, row.reference, row.ratio, row.target, row.verdict];

/** The combined table as plain text. */
export function summaryText(rows: readonly SummaryRow[]): string {
  return renderTable(SUMMARY_COLUMNS, rows.map(cells));
}

function markdownTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (values: readonly string[]): string => `| ${values.map((value) => value.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `|${columns.map((column) => (column.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(columns.map((column) => column.title)), rule, ...rows.map(line)].join('\n');
}

function machineLines(run: RunDescription): string[] {
  const { machine } = run;
  return [
    `| date | ${run.date.toISOString()} |`,
    `| git revision | ${run.revision ?? 'unknown'} |`,
    `| CPU | ${machine.cpus} × ${machine.cpuModel} |`,
    `| memory | ${thousands(machine.memoryMiB)} MiB |`,
    `| OS | ${machine.platform} ${machine.osRelease} |`,
    `| Node | ${machine.node} (V8 ${machine.v8}) |`,
    `| Kafka | ${run.kafkaVersion} at ${run.brokers.join(',')} (${run.brokerSource}${run.jvm === undefined ? '' : `, JVM flags ${run.jvm}`}), single node on the same machine |`,
    `| load average at start | ${run.loadAverage.map((n) => n.toFixed(2)).join(' ')} |`,
    `| CPU pressure over the run | ${pressureText(run.cpuPressure)} (Linux PSI \`cpu some\`: the machine's noise) |`,
    `| whole run | ${duration(run.totalMs)} |`,
  ];
}

/** The markdown report: machine, the combined table, then the details of each part. */
export function markdownReport(run: RunDescription, results: SuiteResults, rows: readonly SummaryRow[]): string {
  const out: string[] = [];
  out.push(`# Benchmark results (issue 8)`, '');
  out.push(`Command: \`${run.command}\`. Generated by bench/src/bench-all.ts; see bench/README.md for what each number measures.`, '');
  out.push('| machine | |', '| --- | --- |', ...machineLines(run), '');
  out.push('## Summary', '', markdownTable(SUMMARY_COLUMNS, rows.map(cells)), '');
  const met = rows.filter((row) => row.verdict === 'met').length;
  const missed = rows.filter((row) => row.verdict === 'missed');
  out.push(`Targets met: ${met} of ${met + missed.length}.${missed.length === 0 ? '' : ` Missed: ${missed.map((row) => row.measurement).join('; ')}.`}`, '');
  if (results.failures.length > 0) out.push('Failed phases (missing from the numbers above):', '', ...results.failures.map((failure) => `- ${failure}`), '');
  out.push(...detailLines(results, 'md'));
  return `${out.join('\n')}\n`;
}

/** A PSI share as a percentage of the wall time some task waited for a CPU. */
function pressureText(share: number | undefined): string {
  return share === undefined ? 'unknown' : `${Math.round(share * 100)}% of the time some task waited for a CPU`;
}

/** The input messages of a pipeline run (its rate's numerator). */
function context(result: WorkerCountResult): number {
  return Math.round((result.messagesPerSecond * result.ms) / 1000);
}

/** Per-part details (plain text for the console, or markdown). */
export function detailLines(results: SuiteResults, style: 'text' | 'md'): string[] {
  const out: string[] = [];
  const table = (columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string =>
    style === 'md' ? markdownTable(columns, rows) : renderTable(columns, rows);
  const heading = (text: string): string => (style === 'md' ? `### ${text}\n` : `${text}:`);
  const { countFill, raw, one, two, broker, recovery, latency } = results;
  if (raw !== undefined || one !== undefined || two !== undefined || broker !== undefined) {
    out.push(heading('Count pipeline (items 1 and 2)'));
    if (countFill?.filled === true) out.push(`Input filled through our Emitter: ${thousands(countFill.records)} messages in ${duration(countFill.ms)}.`, '');
    const rows: string[][] = [];
    const eosPhases = (results.exactlyOnce ?? []).map((eos) => eos.rounds);
    for (const phase of [raw, one, ...eosPhases, two]) {
      if (phase === undefined) continue;
      const result = phase.median;
      rows.push([result.label, thousands(result.messages), duration(result.ms), result.setupMs === undefined ? '—' : duration(result.setupMs),
        thousands(result.messagesPerSecond), result.workers.map((w) => w.peakRssMiB.toFixed(0)).join(' / '),
        result.workers.map((w) => `${(w.cpuMs / 1000).toFixed(1)} s${w.mainCpuMs === undefined ? '' : ` (main ${(w.mainCpuMs / 1000).toFixed(1)} s)`}`).join(' / '),
        result.cpuPressure === undefined ? '—' : `${Math.round(result.cpuPressure * 100)}%`, phase.roundMs.map((ms) => duration(ms)).join(', '),
        phase.roundPeakRssMiB.map((peaks) => peaks.map((peak) => peak.toFixed(0)).join('/')).join(', ')]);
    }
    if (broker !== undefined) {
      const { producerAlone: p, consumerAlone: c, pair } = broker;
      rows.push([`ProducerPerformance alone (kafka-tools ${broker.toolsVersion})`, thousands(p.records), duration(p.ms), '—', thousands(p.recordsPerSecond), '—', '—', '—', '—', '—']);
      rows.push([`ConsumerPerformance alone`, thousands(c.records), duration(c.ms), `${c.rebalanceMs} ms join`, thousands(c.recordsPerSecond), '—', '—', '—', '—', '—']);
      rows.push([`ProducerPerformance, both at once (best of ${broker.pairRates.length})`, thousands(pair.producer.records), duration(pair.producer.ms), '—', thousands(pair.producer.recordsPerSecond), '—', '—', '—', '—', '—']);
      rows.push([`ConsumerPerformance, both at once`, thousands(pair.consumer.records), duration(pair.consumer.ms), `${pair.consumer.rebalanceMs} ms join`, thousands(pair.consumer.recordsPerSecond), '—', '—', '—', '—', '—']);
      rows.push([`broker ceiling = N / slower side of the best run at once (every run: ${broker.pairRates.map((r) => thousands(r)).join(', ')})`, '—', '—', '—', thousands(broker.messagesPerSecond), '—', '—', '—', '—', '—']);
    }
    out.push(
      table(
        labelThenNumbers('phase', 'messages', 'time', 'setup', 'msgs/s', 'peak RSS MiB (median round)', 'CPU of the process(es) (main thread)', 'CPU pressure', 'every round', 'peak RSS MiB, every round'),
        rows,
      ),
      '',
    );
    for (const phase of [raw, one, ...eosPhases, two]) {
      const result = phase?.median;
      if (result === undefined) continue;
      if (result.produced < context(result)) out.push(`! ${result.label}: ${thousands(result.produced)} records produced for ${thousands(context(result))} messages`);
      if (result.wrongCounts !== undefined) out.push(`! ${result.label}: wrong counts: ${result.wrongCounts}`);
      if (result.instances > 1) {
        out.push(
          `${result.label}: ready after ${result.workers.map((w) => duration(w.readyMs)).join(' / ')} holding partitions ` +
            `${result.workers.map((w) => `[${w.partitions.join(',')}]`).join(' / ')}; messages handled ${result.workers.map((w) => thousands(w.handled)).join(' / ')}.`,
        );
      }
      const memory = result.workers.map((w) => `heap ${w.memoryMiB.heapUsed.toFixed(0)} of RSS ${w.memoryMiB.rss.toFixed(0)} MiB (external ${w.memoryMiB.external.toFixed(0)}, array buffers ${w.memoryMiB.arrayBuffers.toFixed(0)})`);
      const peak = result.workers.map((w) => `RSS ${w.atPeakMiB.rss.toFixed(0)} MiB with JS heap ${w.atPeakMiB.heapTotal.toFixed(0)} (used ${w.atPeakMiB.heapUsed.toFixed(0)}), array buffers ${w.atPeakMiB.arrayBuffers.toFixed(0)}`);
      out.push(`${result.label}, memory at the end: ${memory.join(' / ')}; at the highest sampled RSS: ${peak.join(' / ')}.`);
      for (const worker of result.workers) {
        const txn = worker.transactions;
        if (txn === undefined) continue;
        out.push(
          `${result.label} (commit ${result.commitIntervalMs ?? '?'} ms): ${thousands(txn.committed)} transactions committed, ${txn.aborted} aborted, ` +
            `mean commit ${txn.committed === 0 ? '—' : `${(txn.totalCommitMs / txn.committed).toFixed(1)} ms`} (from the commit's start: waiting for the sends, offsets, EndTxn), ` +
            `${txn.committed === 0 ? '—' : thousands(result.messages / txn.committed)} messages per transaction.`,
        );
      }
    }
    out.push('');
  }
  if (recovery !== undefined) {
    out.push(heading('Recovery of a group table (item 3)'));
    const rows = [
      ['kafkajs consumer reads the table topic (bench process)', thousands(recovery.kafkajs.records), duration(recovery.kafkajs.ms), thousands(recovery.kafkajs.recordsPerSecond), '—', '—'],
      ['cold: fresh processor, empty RocksDB (child process)', thousands(recovery.cold.records), duration(recovery.cold.ms), thousands(recovery.cold.recordsPerSecond ?? 0),
        recovery.cold.peakRssMiB.toFixed(0), `${recovery.cold.heapUsedMiB.toFixed(0)} / ${recovery.cold.rssMiB.toFixed(0)}`],
      ['warm: new process, same RocksDB (restart)', thousands(recovery.warm.records), duration(recovery.warm.ms), recovery.warm.recordsPerSecond === undefined ? '—' : thousands(recovery.warm.recordsPerSecond),
        recovery.warm.peakRssMiB.toFixed(0), `${recovery.warm.heapUsedMiB.toFixed(0)} / ${recovery.warm.rssMiB.toFixed(0)}`],
    ];
    out.push(
      table(
        labelThenNumbers('phase', 'records', 'time to ready', 'records/s', 'peak RSS MiB', 'heap / RSS when ready MiB'),
        rows,
      ),
      '',
      `cold recovery at the highest sampled RSS: RSS ${recovery.cold.atPeak.rssMiB.toFixed(0)} MiB with JS heap ${recovery.cold.atPeak.heapTotalMiB.toFixed(0)} ` +
        `(used ${recovery.cold.atPeak.heapUsedMiB.toFixed(0)}).`,
      '',
    );
  }
  if (results.storage !== undefined) {
    out.push(heading(`Storage: new RocksDB binding, old binding, partitions per instance (Node ${results.storage.node})`));
    out.push(...storageDetails(results.storage, table));
  }
  if (results.compression !== undefined) {
    out.push(heading(`Compression: write codecs against none (Node ${results.compression.node})`));
    out.push(...compressionDetails(results.compression, table));
  }
  if (latency !== undefined) {
    out.push(heading('Latency at a fixed rate (item 4)'));
    const paths = [latency.ours, ...(latency.exactlyOnce ?? []), latency.raw];
    const rows = paths.map((path) => [
      path.label,
      thousands(path.achievedRate),
      thousands(path.endToEnd.samples),
      String(path.endToEnd.missing),
      `${path.endToEnd.p50} / ${path.endToEnd.p90} / ${path.endToEnd.p99} / ${path.endToEnd.max}`,
      `${path.ack.p50} / ${path.ack.p99}`,
      path.peakRssMiB.toFixed(0),
    ]);
    out.push(
      table(
        labelThenNumbers('path', 'msgs/s', 'samples', 'missing', 'end to end p50 / p90 / p99 / max ms', 'send→ack p50 / p99 ms', 'middle process peak RSS MiB'),
        rows,
      ),
      '',
    );
    for (const eos of latency.exactlyOnce ?? []) {
      const txn = eos.transactions;
      if (txn === undefined) continue;
      out.push(`${eos.label}: ${thousands(txn.committed)} transactions committed, ${txn.aborted} aborted, mean commit ${txn.committed === 0 ? '—' : `${(txn.totalCommitMs / txn.committed).toFixed(1)} ms`}.`);
    }
    for (const path of paths) {
      if (path.hops === undefined) continue;
      const { first, second } = path.hops;
      out.push(
        `${path.label}: hop 1 (send → middle process produced) p50 ${first.p50} / p99 ${first.p99} ms; ` +
          `hop 2 (→ visible) p50 ${second.p50} / p99 ${second.p99} ms (record timestamps, ±1 ms). ` +
          `Noise in the window: CPU pressure ${pressureText(path.noise.cpuPressure)}, ` +
          `bench event-loop delay p50 ${path.noise.loopDelay.p50} / p99 ${path.noise.loopDelay.p99} / max ${path.noise.loopDelay.max} ms. ` +
          `Seconds with CPU pressure < ${Math.round(BUSY_PRESSURE * 100)}%: ${path.byPressure.calm.seconds} (p99 ${path.byPressure.calm.samples === 0 ? '—' : `${path.byPressure.calm.p99} ms`}), ` +
          `≥ ${Math.round(BUSY_PRESSURE * 100)}%: ${path.byPressure.busy.seconds} (p99 ${path.byPressure.busy.samples === 0 ? '—' : `${path.byPressure.busy.p99} ms`}).`,
      );
    }
    out.push('');
  }
  return out;
}
