import { duration, labelThenNumbers, renderTable, thousands } from '../support/format.js';
import type { Column } from '../support/format.js';
import type { Settled } from '../support/pressure.js';
import type { MemoryMiB, WorkerCountResult } from './count.js';
import { BUSY_PRESSURE } from './latency-model.js';
import type { SuiteResults } from './report-model.js';
import { codecLines } from './codecs.js';
import { gokaDetails } from './report-goka.js';
import { compressionDetails, storageDetails } from './report-sections.js';

export function markdownTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (values: readonly string[]): string => `| ${values.map((value) => value.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `|${columns.map((column) => (column.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(columns.map((column) => column.title)), rule, ...rows.map(line)].join('\n');
}

/** A PSI share as a percentage of the wall time some task waited for a CPU. */
export function pressureText(share: number | undefined): string {
  return share === undefined ? 'unknown' : `${Math.round(share * 100)}% of the time some task waited for a CPU`;
}

/**
 * A Node worker's memory at its highest sampled RSS: the JS heap (and V8's young generation in it, sized
 * by V8 from the machine's memory), array buffers, mapped files (node binary, addons); the rest is
 * native memory (RocksDB, malloc arenas, thread stacks).
 */
function peakMemory(memory: MemoryMiB): string {
  const young = memory.youngGeneration === undefined ? '' : `; young generation ${memory.youngGeneration.toFixed(0)}`;
  const files = memory.fileBacked === undefined ? '' : `, mapped files ${memory.fileBacked.toFixed(0)}`;
  const known = memory.heapTotal + memory.arrayBuffers + (memory.fileBacked ?? 0);
  const native = memory.fileBacked === undefined ? '' : `, other native ${Math.max(0, memory.rss - known).toFixed(0)}`;
  return `RSS ${memory.rss.toFixed(0)} MiB with JS heap ${memory.heapTotal.toFixed(0)} (used ${memory.heapUsed.toFixed(0)}${young}), array buffers ${memory.arrayBuffers.toFixed(0)}${files}${native}`;
}

/** The wait for a calm machine before a latency path (empty when it did not wait). */
function settledText(settled: Settled | undefined): string {
  if (settled === undefined) return '';
  const busy = settled.busyShare === undefined ? '' : ` (CPUs ${Math.round(settled.busyShare * 100)}% busy in its last second)`;
  return `Started after waiting ${duration(settled.waitedMs)} for a calm machine${busy}. `;
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
    const eosPhases = [...(results.exactlyOnce ?? []).map((eos) => eos.rounds), ...(results.traced ?? []).map((traced) => traced.rounds)];
    for (const phase of [raw, one, results.goka, results.inMemory, ...eosPhases, two]) {
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
    for (const phase of [raw, one, results.goka, results.inMemory, ...eosPhases, two]) {
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
      if (result.kind === 'goka') {
        const go = result.workers.map((w) => `Go heap objects ${w.memoryMiB.heapUsed.toFixed(0)}, held by the Go runtime ${w.memoryMiB.heapTotal.toFixed(0)}, RSS ${w.memoryMiB.rss.toFixed(0)} MiB`);
        out.push(`${result.label}, memory at the end: ${go.join(' / ')}; at the highest sampled RSS: ${result.workers.map((w) => `RSS ${w.atPeakMiB.rss.toFixed(0)} MiB with Go heap objects ${w.atPeakMiB.heapUsed.toFixed(0)}`).join(' / ')}.`);
        continue;
      }
      const memory = result.workers.map((w) => `heap ${w.memoryMiB.heapUsed.toFixed(0)} of RSS ${w.memoryMiB.rss.toFixed(0)} MiB (external ${w.memoryMiB.external.toFixed(0)}, array buffers ${w.memoryMiB.arrayBuffers.toFixed(0)})`);
      const peak = result.workers.map((w) => peakMemory(w.atPeakMiB));
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
    const go = recovery.goka;
    if (go !== undefined) {
      rows.push([`cold: ${results.gokaBuild !== undefined && 'goka' in results.gokaBuild ? `Go Goka ${results.gokaBuild.goka}` : 'Go Goka'} processor, empty LevelDB (child process)`, thousands(go.records), duration(go.ms),
        thousands(go.recordsPerSecond ?? 0), go.peakRssMiB.toFixed(0), `${go.heapUsedMiB.toFixed(0)} (Go heap objects) / ${go.rssMiB.toFixed(0)}`]);
    }
    out.push(
      table(
        labelThenNumbers('phase', 'records', 'time to ready', 'records/s', 'peak RSS MiB', 'heap / RSS when ready MiB'),
        rows,
      ),
      '',
      `cold recovery at the highest sampled RSS: ${peakMemory(recovery.cold.atPeak)}.`,
      '',
    );
  }
  out.push(...gokaDetails(results));
  if (results.storage !== undefined) {
    out.push(heading(`Storage: new RocksDB binding, old binding, partitions per instance (Node ${results.storage.node})`));
    out.push(...storageDetails(results.storage, table));
  }
  if (results.compression !== undefined) {
    out.push(heading(`Compression: write codecs against none (Node ${results.compression.node})`));
    out.push(...compressionDetails(results.compression, table));
  }
  if (results.codecs !== undefined) {
    out.push(heading('Schema Registry codecs against JSON (issue 20)'));
    out.push(style === 'md' ? ['```', ...codecLines(results.codecs), '```'].join('\n') : codecLines(results.codecs).join('\n'), '');
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
          settledText(path.noise.settled) +
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
