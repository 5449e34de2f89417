import type { GokaRetry } from '../support/go-worker.js';
import { duration, thousands } from '../support/format.js';
import type { CountRounds, SuiteResults } from './report-model.js';

/** All rounds' retries of a Go phase. */
export function gokaRetries(phase: CountRounds): GokaRetry[] {
  return (phase.roundRetries ?? []).flat();
}

/** `Go start retries: 0 in 3 rounds` (a summary row's note). */
export function retriesNote(retries: number, rounds: number): string {
  return `Go start retries: ${retries} in ${rounds} round${rounds === 1 ? '' : 's'}`;
}

function retryLines(what: string, retries: readonly GokaRetry[]): string[] {
  // Goka's errors nest over several lines: one line each here (and in the markdown).
  return retries.map((retry, i) => `- ${what}, retry ${i + 1}${retry.afterReady ? ' (after it had been ready)' : ''}: ${retry.error.replace(/\s+/g, ' ').trim()}`);
}

/** The details of issue 21's Go Goka phases: the build, or why none ran, and every retry with its error. */
export function gokaDetails(results: SuiteResults): string[] {
  const build = results.gokaBuild;
  if (build === undefined) return [];
  if ('skipped' in build) return [`Go Goka: not run, ${build.skipped}.`, ''];
  if ('failed' in build) return [`Go Goka: not run, ${build.failed}`, ''];
  const out = [`Go Goka: bench/goka built with github.com/lovoo/goka ${build.goka}, github.com/IBM/sarama ${build.sarama}, ${build.go} (build ${duration(build.buildMs)}).`];
  const count = results.goka;
  if (count !== undefined) {
    const perRound = (count.roundRetries ?? []).map((retries) => String(retries.length)).join(', ');
    out.push(`Go Goka count pipeline: start retries per round ${perRound || '—'}.`);
    (count.roundRetries ?? []).forEach((retries, round) => out.push(...retryLines(`Go Goka count, round ${round + 1}`, retries)));
  }
  const recovery = results.recovery?.goka;
  if (recovery !== undefined) {
    out.push(`Go Goka cold recovery: ${thousands(recovery.records)} records, ${recovery.retries.length} start retries.`);
    out.push(...retryLines('Go Goka cold recovery', recovery.retries));
  }
  out.push('');
  return out;
}
