import { duration, renderTable, thousands } from '../support/format.js';
import type { Column } from '../support/format.js';
import type { LatencyStats } from './latency-model.js';
import { detailLines, markdownTable, pressureText } from './report-details.js';
import { rateRow, TARGETS, times, verdict } from './report-model.js';
import type { CountRounds, RunDescription, SuiteResults, SummaryRow } from './report-model.js';
import { gokaRetries, retriesNote } from './report-goka.js';
import { codecRows, compressionRows, storageRows } from './report-sections.js';

const latencyText = (s: LatencyStats): string => `${s.p50} / ${s.p99} / ${s.max} ms`;

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
  const goka = results.goka;
  if (oneRate !== undefined && goka !== undefined) {
    const gokaRate = goka.median.messagesPerSecond;
    const note = retriesNote(gokaRetries(goka).length, goka.roundMs.length);
    rows.push(rateRow('1', `count pipeline vs Go Goka, msgs/s (1 process each; ${note})`, oneRate, gokaRate,
      { text: `≥ ${TARGETS.gokaRatio.toFixed(2)}× Go`, met: oneRate / gokaRate >= TARGETS.gokaRatio }));
  }
  const inMemory = results.inMemory;
  if (inMemory !== undefined && raw !== undefined) {
    rows.push(rateRow('1', 'count pipeline, table in MemoryStorage (no RocksDB), msgs/s vs raw kafkajs passthrough', inMemory.median.messagesPerSecond,
      raw.median.messagesPerSecond));
  }
  if (inMemory !== undefined && oneRate !== undefined) {
    rows.push(rateRow('1', 'count pipeline, table in RocksDB vs in MemoryStorage, msgs/s', oneRate, inMemory.median.messagesPerSecond));
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
  for (const [index, traced] of (results.traced ?? []).entries()) {
    if (oneRate === undefined) break;
    const rate = traced.rounds.median.messagesPerSecond;
    const what = traced.sampleRatio >= 1 ? 'every message traced' : `${traced.sampleRatio * 100} % of traces sampled`;
    rows.push(rateRow('1', `count pipeline with an OpenTelemetry SDK (${what}) vs none, msgs/s (1 process)`, rate, oneRate,
      index === 0 ? { text: `≥ ${TARGETS.tracedRatio.toFixed(2)}×`, met: rate / oneRate >= TARGETS.tracedRatio } : undefined));
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
    if (recovery.goka !== undefined) {
      const gokaCold = recovery.goka.recordsPerSecond ?? 0;
      rows.push(rateRow('3', `recovery cold vs Go Goka, records/s (RocksDB vs LevelDB; ${retriesNote(recovery.goka.retries.length, 1)})`, cold, gokaCold));
    }
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
  const highest = (phase: CountRounds): number => Math.max(...phase.roundPeakRssMiB.flat());
  const rounds = (phase: CountRounds): string => (phase.roundPeakRssMiB.length === 1 ? '' : `, highest of ${phase.roundPeakRssMiB.length} rounds`);
  if (one !== undefined) {
    // Issue 21's target (≤ 300 MiB) replaces issue 8's (< 400 MB); Go Goka's peak (highest of its rounds) is the reference.
    const rss = highest(one);
    const go = goka === undefined ? undefined : highest(goka);
    rows.push({ item: '5', measurement: `peak RSS, count pipeline (1 process${rounds(one)}) vs Go Goka`, ours: `${rss.toFixed(0)} MiB`,
      reference: go === undefined ? '—' : `${go.toFixed(0)} MiB`, ratio: go === undefined ? '—' : times(rss / go),
      target: `≤ ${TARGETS.countRssMiB} MiB`, verdict: verdict(rss <= TARGETS.countRssMiB) });
  }
  if (two !== undefined) {
    rows.push({ item: '5', measurement: `peak RSS of a processor process, 2 processes (2${rounds(two)})`, ours: `${highest(two).toFixed(0)} MiB`,
      reference: '—', ratio: '—', target: '—', verdict: '' });
  }
  if (recovery !== undefined) {
    // Issue 21's target (≤ 250 MiB) replaces issue 8's; Go Goka's cold recovery is the reference.
    const rss = recovery.cold.peakRssMiB;
    const go = recovery.goka?.peakRssMiB;
    rows.push({ item: '5', measurement: 'peak RSS of the processor process, cold recovery (3) vs Go Goka', ours: `${rss.toFixed(0)} MiB`,
      reference: go === undefined ? '—' : `${go.toFixed(0)} MiB`, ratio: go === undefined ? '—' : times(rss / go),
      target: `≤ ${TARGETS.recoveryRssMiB} MiB`, verdict: verdict(rss <= TARGETS.recoveryRssMiB) });
  }
  if (results.storage !== undefined) rows.push(...storageRows(results.storage));
  if (results.compression !== undefined) rows.push(...compressionRows(results.compression));
  if (results.codecs !== undefined) rows.push(...codecRows(results.codecs));
  return rows;
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

