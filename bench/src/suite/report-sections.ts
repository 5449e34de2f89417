import { duration, labelThenNumbers, thousands } from '../support/format.js';
import type { Column } from '../support/format.js';
import type { CodecCost, CodecResult } from './codecs.js';
import { medianRate } from './compression.js';
import type { CompressionPhase, CompressionResult } from './compression.js';
import type { WorkerCountResult } from './count.js';
import { rateRow, TARGETS, times, verdict } from './report-model.js';
import type { SummaryRow } from './report-model.js';
import { countLabel, largeValuesLabel, MEMORY_ADVICE_FLAGS, STORAGE_LABEL } from './storage.js';
import type { StorageCount, StorageResult } from './storage.js';

const WRITER_LABEL: Record<CompressionPhase['writer'], string> = { emitter: 'Emitter', processor: "processor's outputs" };

/** Rows of the compression section (issue 15): each write codec's msgs/s against `none`'s, per writer. */
export function compressionRows(result: CompressionResult): SummaryRow[] {
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
export function compressionDetails(result: CompressionResult, table: (columns: readonly Column[], rows: ReadonlyArray<readonly string[]>) => string): string[] {
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
function storagePhase(result: StorageResult, storage: StorageCount['storage'], partitions: number, flagged = false): { rate: number; rssMiB: number } | undefined {
  const phase = result.counts.find(
    (count) => count.storage === storage && count.partitions === partitions && (count.nodeFlags ?? []).length > 0 === flagged && count.largeValues === undefined,
  );
  return phaseFigures(phase);
}

/** The median round's rate and the highest peak RSS over the rounds of `phase`. */
function phaseFigures(phase: StorageCount | undefined): { rate: number; rssMiB: number } | undefined {
  if (phase === undefined || phase.rounds.length === 0) return undefined;
  const median = medianRound(phase.rounds);
  const rssMiB = Math.max(...phase.rounds.flatMap((round) => round.workers.map((w) => w.peakRssMiB)));
  return median === undefined ? undefined : { rate: median.messagesPerSecond, rssMiB };
}

const rss = (mib: number): string => `${mib.toFixed(0)} MiB`;

/** A storage row comparing two peak RSS figures, with a `≤ targetMiB` verdict when a target is given. */
function rssRow(measurement: string, ours: number, reference: number, targetMiB?: number): SummaryRow {
  return { item: '6', measurement, ours: rss(ours), reference: rss(reference), ratio: times(ours / reference),
    target: targetMiB === undefined ? '—' : `≤ ${targetMiB} MiB`, verdict: targetMiB === undefined ? '' : verdict(ours <= targetMiB) };
}

/** The wide count's rate against the narrow one's, with the issue's ≥ 0.8× target. */
function wideRateRow(measurement: string, wide: { rate: number }, narrow: { rate: number }): SummaryRow {
  return rateRow('6', measurement, wide.rate, narrow.rate, { text: `≥ ${TARGETS.wideRatio.toFixed(2)}×`, met: wide.rate / narrow.rate >= TARGETS.wideRatio });
}

/** Rows of the storage section (issue 13): the new binding against the old one, and 128 partitions against 8. */
export function storageRows(result: StorageResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const partitions = [...new Set(result.counts.map((count) => count.partitions))].sort((a, b) => a - b);
  const [narrow, wide] = partitions;
  const node = `Node ${result.node}`;
  for (const count of partitions) {
    const ours = storagePhase(result, 'rocksdb', count);
    const old = storagePhase(result, 'rocksdb-legacy', count);
    if (ours === undefined || old === undefined) continue;
    rows.push(rateRow('6', `storage: count pipeline, ${count} partitions, new binding vs old, msgs/s (${node})`, ours.rate, old.rate));
    rows.push(rssRow(`storage: peak RSS, count pipeline, ${count} partitions, new binding vs old (${node})`, ours.rssMiB, old.rssMiB));
  }
  const narrowOurs = narrow === undefined ? undefined : storagePhase(result, 'rocksdb', narrow);
  const wideOurs = wide === undefined ? undefined : storagePhase(result, 'rocksdb', wide);
  if (narrowOurs !== undefined && wideOurs !== undefined) {
    rows.push(wideRateRow(`storage: count pipeline, ${wide} vs ${narrow} partitions per instance, msgs/s (new binding)`, wideOurs, narrowOurs));
    rows.push(rssRow(`storage: peak RSS, count pipeline, ${wide} partitions per instance (new binding)`, wideOurs.rssMiB, narrowOurs.rssMiB, TARGETS.wideRssMiB));
  }
  const wideAdvised = wide === undefined ? undefined : storagePhase(result, 'rocksdb', wide, true);
  const narrowAdvised = narrow === undefined ? undefined : storagePhase(result, 'rocksdb', narrow, true);
  const advice = `node ${MEMORY_ADVICE_FLAGS.join(' ')}`;
  if (wideAdvised !== undefined && narrowAdvised !== undefined) {
    rows.push(wideRateRow(`storage: count pipeline, ${wide} vs ${narrow} partitions per instance, both with ${advice} (README "Memory"), msgs/s`, wideAdvised, narrowAdvised));
  }
  if (narrowAdvised !== undefined && narrowOurs !== undefined) {
    rows.push(rssRow(`storage: peak RSS, count pipeline, ${narrow} partitions per instance, ${advice} vs Node's defaults`, narrowAdvised.rssMiB, narrowOurs.rssMiB));
  }
  if (wideAdvised !== undefined && wideOurs !== undefined) {
    rows.push(rssRow(`storage: peak RSS, count pipeline, ${wide} partitions per instance, ${advice} (README "Memory") vs Node's defaults`, wideAdvised.rssMiB,
      wideOurs.rssMiB, TARGETS.wideRssMiB));
    rows.push(rateRow('6', `storage: count pipeline, ${wide} partitions per instance, ${advice} vs Node's defaults, msgs/s`, wideAdvised.rate, wideOurs.rate));
  }
  const largePhase = result.counts.find((count) => count.largeValues !== undefined);
  const large = phaseFigures(largePhase);
  if (large !== undefined && largePhase?.largeValues !== undefined && narrowOurs !== undefined) {
    rows.push(rssRow(`storage: peak RSS, count pipeline, ${largeValuesLabel(largePhase.largeValues)} (1 process) vs the count at ${narrow ?? ''} partitions above`,
      large.rssMiB, narrowOurs.rssMiB, TARGETS.largeValuesRssMiB));
  }
  const ours = result.recoveries.find((r) => r.storage === 'rocksdb');
  const old = result.recoveries.find((r) => r.storage === 'rocksdb-legacy');
  if (ours !== undefined && old !== undefined) {
    rows.push(rateRow('6', `storage: cold recovery of ${thousands(ours.cold.records)} keys, new binding vs old, records/s`, ours.cold.recordsPerSecond ?? 0, old.cold.recordsPerSecond ?? 0));
    rows.push(rssRow('storage: peak RSS, cold recovery, new binding vs old', ours.cold.peakRssMiB, old.cold.peakRssMiB));
    rows.push({ item: '6', measurement: 'storage: warm restart (local state), time to ready, new binding vs old', ours: duration(ours.warm.ms), reference: duration(old.warm.ms),
      ratio: times(ours.warm.ms / old.warm.ms), target: '—', verdict: '' });
  }
  return rows;
}

/** The storage section's details: every phase's rounds, and the recoveries. */
export function storageDetails(result: StorageResult, table: (columns: readonly Column[], rows: ReadonlyArray<readonly string[]>) => string): string[] {
  const out: string[] = [];
  if (result.legacySkipped !== undefined) out.push(`The old binding did not run: ${result.legacySkipped}.`, '');
  const rows = result.counts.filter((count) => count.rounds.length > 0).map((count) => {
    const median = medianRound(count.rounds);
    const peak = count.rounds.flatMap((round) => round.workers);
    return [countLabel(count), thousands(median?.messagesPerSecond ?? 0),
      count.rounds.map((round) => thousands(round.messagesPerSecond)).join(', '), peak.map((w) => w.peakRssMiB.toFixed(0)).join(', '),
      peak.map((w) => `${w.atPeakMiB.heapTotal.toFixed(0)} / ${w.atPeakMiB.rss.toFixed(0)}`).join(', ')];
  });
  for (const recovery of result.recoveries) {
    rows.push([`cold recovery, ${STORAGE_LABEL[recovery.storage]}`, thousands(recovery.cold.recordsPerSecond ?? 0), duration(recovery.cold.ms),
      recovery.cold.peakRssMiB.toFixed(0), `${recovery.cold.atPeak.heapTotal.toFixed(0)} / ${recovery.cold.atPeak.rss.toFixed(0)}`]);
    rows.push([`warm restart, ${STORAGE_LABEL[recovery.storage]}`, '—', duration(recovery.warm.ms), recovery.warm.peakRssMiB.toFixed(0), '—']);
  }
  out.push(table(labelThenNumbers('phase', 'msgs/s or records/s (median)', 'every round (or time)', 'peak RSS MiB, every round', 'JS heap / RSS at the highest sample, MiB'), rows), '');
  return out;
}

/** Rows of the codecs section (issue 20): each Schema Registry codec's encode and decode against JSON's. */
export function codecRows(result: CodecResult): SummaryRow[] {
  const json = result.codecs.find((cost) => cost.codec === 'json');
  if (json === undefined) return [];
  const ns = (cost: CodecCost): string => `${cost.encodeNs.toFixed(0)} / ${cost.decodeNs.toFixed(0)} ns`;
  return result.codecs
    .filter((cost) => cost !== json)
    .map((cost) => ({
      item: '8',
      measurement: `${cost.codec} codec (Confluent wire format) encode / decode of a ~120-byte record vs codecs.json`,
      ours: ns(cost),
      reference: ns(json),
      ratio: `${(cost.encodeNs / json.encodeNs).toFixed(2)}× / ${(cost.decodeNs / json.decodeNs).toFixed(2)}×`,
      target: '—',
      verdict: '',
    }));
}
