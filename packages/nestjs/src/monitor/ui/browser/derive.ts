import type {
  MonitorActionStatus,
  MonitorEdge,
  MonitorPartitionState,
  MonitorProcessorDetail,
  MonitorRecovery,
} from '../../interfaces/monitor-api.interface.js';
import { fmtDateTime, fmtDuration, sumDefined } from './format.js';

/** What the pages compute from the API documents before drawing (pure: no DOM). */

/** A group graph's columns: what flows in, what the processor owns, what flows out. */
export function graphColumns(edges: readonly MonitorEdge[]): { incoming: MonitorEdge[]; own: MonitorEdge[]; outgoing: MonitorEdge[] } {
  return {
    incoming: edges.filter((e) => e.kind === 'input' || e.kind === 'join' || e.kind === 'lookup'),
    own: edges.filter((e) => e.kind === 'table' || e.kind === 'loop'),
    outgoing: edges.filter((e) => e.kind === 'output'),
  };
}

/** A partition cell's caption: its state, with the percentage while it recovers. */
export function partitionCaption(state: MonitorPartitionState, recovery: MonitorRecovery | undefined): string {
  return state === 'recovering' && recovery ? 'recovering ' + Math.floor(recovery.progress * 100) + '%' : state;
}

/** A partition with recovery information (processor or view). */
export interface RecoveringPartition {
  readonly partition: number;
  readonly state: MonitorPartitionState;
  readonly recovery: MonitorRecovery | undefined;
}

/** The partitions still recovering (or not fully recovered), and how many finished. */
export function recoveries<P extends RecoveringPartition>(partitions: readonly P[]): { pending: (P & { recovery: MonitorRecovery })[]; done: number } {
  const pending = partitions.filter((p): p is P & { recovery: MonitorRecovery } => p.recovery !== undefined && (p.state === 'recovering' || p.recovery.progress < 1));
  const done = partitions.filter((p) => p.recovery !== undefined && p.recovery.progress >= 1).length;
  return { pending, done };
}

/** The processor page's totals over its inputs, outputs and partitions, and which lines its charts draw. */
export interface ProcessorTotals {
  readonly totalLag: number | undefined;
  readonly inputRate: number | undefined;
  readonly outputRate: number | undefined;
  /** Group-table writes of active partitions (what the chart counts). */
  readonly tableRate: number | undefined;
  /** Standby copies apply separately; `undefined` without standby partitions. */
  readonly standbyRate: number | undefined;
  readonly recovering: boolean;
  readonly hasOutputs: boolean;
  readonly hasTable: boolean;
}

export function processorTotals(p: MonitorProcessorDetail): ProcessorTotals {
  return {
    totalLag: sumDefined(p.inputs.map((i) => i.lag)),
    inputRate: sumDefined(p.inputs.map((i) => i.rate)),
    outputRate: sumDefined(p.outputs.map((o) => o.rate)),
    tableRate: sumDefined(p.partitionList.filter((part) => part.mode === 'active').map((part) => part.tableRate)),
    standbyRate: sumDefined(p.partitionList.filter((part) => part.mode === 'standby').map((part) => part.tableRate)),
    recovering: p.series.some((sample) => (sample.recoveryRate ?? 0) > 0) || p.partitionList.some((part) => part.state === 'recovering'),
    hasOutputs: p.edges.some((edge) => edge.kind === 'output'),
    hasTable: p.edges.some((edge) => edge.kind === 'table'),
  };
}

/** An action's badge: what it is doing or how its last run ended, and the badge's tone. */
export function actionBadge(action: MonitorActionStatus): { label: string; tone: string } {
  if (action.running) return { label: 'running', tone: 'warn' };
  if (action.lastError) return { label: 'failed', tone: 'bad' };
  if (action.runs) return { label: 'finished', tone: 'good' };
  return { label: 'idle', tone: 'muted' };
}

/** One line of an action card: label, text and the suffix of its test id. */
export type ActionField = readonly [label: string, text: string, key: string];

/** The lines of an action card; a running action's duration counts up to `now`. */
export function actionFields(action: MonitorActionStatus, now: number): ActionField[] {
  const end = action.finishedAt || (action.running ? now : undefined);
  return [
    ['Runs', String(action.runs), 'runs'],
    ['Started', fmtDateTime(action.startedAt), 'started'],
    ['Finished', action.running ? 'running…' : fmtDateTime(action.finishedAt), 'finished'],
    ['Duration', action.startedAt && end ? fmtDuration((end - action.startedAt) / 1000) : '–', 'duration'],
    ['Value', action.value === undefined ? '–' : action.value, 'last-value'],
    ['Result', action.result === undefined ? '–' : action.result, 'result'],
    ['Last error', action.lastError || 'none', 'error'],
  ];
}
