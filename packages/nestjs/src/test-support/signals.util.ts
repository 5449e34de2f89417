/**
 * Test signals (not part of the build): promises the code under test resolves, so specs await
 * events instead of sleeping.
 */
import type { KafkaMessage, MemoryKafka, UpdateCallback } from '@goka/core';
import type { LoggerService } from '@nestjs/common';

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves with the next `count` records appended to `topic` (counting from now). */
export function appended(kafka: MemoryKafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const seen: KafkaMessage[] = [];
  return new Promise((resolve) => {
    const stop = kafka.onAppend((message) => {
      if (message.topic !== topic) return;
      seen.push(message);
      if (seen.length === count) {
        stop();
        resolve(seen);
      }
    });
  });
}

/**
 * A view `updateCallback` that applies records as the default does and counts them, so a spec
 * can await the view having applied `n` records.
 */
export function tableWatch(): { readonly updateCallback: UpdateCallback; applied(count: number): Promise<void> } {
  let applied = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    updateCallback: async (_context, storage, key, value) => {
      if (value === null) await storage.delete(key);
      else await storage.set(key, value);
      applied += 1;
      for (const waiter of waiters.filter((w) => w.count <= applied)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    applied: (count) =>
      count <= applied ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
  };
}

/** A Nest logger keeping every line, with a promise per level for the first line matching. */
export class RecordingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; extra: unknown[] }> = [];
  readonly #waiters: Array<{ level: string; pattern: RegExp; resolve: (message: string) => void }> = [];

  log(message: unknown, ...extra: unknown[]): void {
    this.#record('log', message, extra);
  }
  error(message: unknown, ...extra: unknown[]): void {
    this.#record('error', message, extra);
  }
  warn(message: unknown, ...extra: unknown[]): void {
    this.#record('warn', message, extra);
  }
  debug(message: unknown, ...extra: unknown[]): void {
    this.#record('debug', message, extra);
  }

  /** Resolves with the first line of `level` matching `pattern` (logged before or after the call). */
  next(level: string, pattern: RegExp): Promise<string> {
    const found = this.lines.find((line) => line.level === level && pattern.test(line.message));
    if (found !== undefined) return Promise.resolve(found.message);
    return new Promise((resolve) => this.#waiters.push({ level, pattern, resolve }));
  }

  #record(level: string, message: unknown, extra: unknown[]): void {
    const text = String(message);
    this.lines.push({ level, message: text, extra });
    const matching = this.#waiters.filter((waiter) => waiter.level === level && waiter.pattern.test(text));
    for (const waiter of matching) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(text);
    }
  }
}
