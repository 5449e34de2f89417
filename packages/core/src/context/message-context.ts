import type { Codec } from '../codec/codec.js';
import { CodecError } from '../errors/codec-error.js';
import {
  ctxEmitToLoop,
  ctxEmitToTable,
  ctxEmptyTopic,
  ctxJoinNotSubscribed,
  ctxLookupNotSubscribed,
  ctxNilValue,
  ctxNoLoop,
  ctxNotOutput,
  ctxOutsideCallback,
  ctxStateless,
} from './context.messages.js';
import { ContextError } from '../errors/processor-error.js';
import type { Headers } from '../kafka/message.js';
import type { BatchState } from '../processor/batch-state.js';
import type { ContextWriteOptions, ProcessContext } from './process-context.js';

/** What a context needs of its processor and partition (shared by all contexts of the partition). */
export interface ContextHost {
  readonly group: string;
  readonly partition: number;
  readonly partitionCount: number;
  readonly tableTopic: string | undefined;
  readonly tableCodec: Codec<unknown> | undefined;
  readonly loopTopic: string | undefined;
  readonly loopCodec: Codec<unknown> | undefined;
  readonly defaultHeaders: Headers | undefined;
  outputCodec(topic: string): Codec<unknown> | undefined;
  outputPartition(topic: string, key: string): number;
  loopPartition(key: string): number;
  joinCodec(table: string): Codec<unknown> | undefined;
  lookup(table: string, key: string): Promise<unknown> | undefined;
}

/** The record a context is for. */
export interface ContextMessage {
  readonly key: string;
  readonly topic: string;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * Keeps the commit of a context's message back: `deferCommit(context, token)` returns the function
 * that releases it (see {@link ProcessContext.deferCommit}); `token` is what the deferrer gave the context.
 */
export interface CommitDeferrer<T> {
  deferCommit(context: ContextMessage, token: T): (error?: unknown) => void;
}

const NOOP_RELEASE = (): void => {};

/** The {@link ProcessContext} of one message of one batch. */
export class MessageContext<V, Token = unknown> implements ProcessContext<V> {
  private open = true;

  /**
   * @param deferrer who keeps the message's commit back on `deferCommit()` (called with `token`);
   *   without one, `deferCommit()` returns a function that does nothing.
   */
  constructor(
    private readonly host: ContextHost,
    private readonly batch: BatchState,
    readonly key: string,
    readonly topic: string,
    readonly offset: number,
    readonly timestamp: number,
    readonly headers: Headers,
    readonly signal: AbortSignal,
    private readonly deferrer?: CommitDeferrer<Token>,
    private readonly token?: Token,
  ) {}

  get partition(): number {
    return this.host.partition;
  }

  get group(): string {
    return this.host.group;
  }

  /** Ends the context: later calls of its methods fail. */
  close(): void {
    this.open = false;
  }

  value(): V | undefined {
    this.check('value');
    const codec = this.stateful();
    const bytes = this.batch.tableValue(this.key);
    if (bytes === null) return undefined;
    return this.decode(codec, bytes, this.host.tableTopic ?? '') as V;
  }

  setValue(value: V, options?: ContextWriteOptions): void {
    this.check('setValue');
    const codec = this.stateful();
    if (value === null || value === undefined) throw new ContextError(ctxNilValue());
    const bytes = this.encode(codec, value, this.host.tableTopic ?? '', this.key);
    this.batch.setTable(this.host.tableTopic ?? '', this.host.partition, this.key, bytes, options?.headers);
  }

  delete(options?: ContextWriteOptions): void {
    this.check('delete');
    this.stateful();
    this.batch.setTable(this.host.tableTopic ?? '', this.host.partition, this.key, null, options?.headers);
  }

  emit(topic: string, key: string, value: unknown, options?: ContextWriteOptions): void {
    this.check('emit');
    if (topic === '') throw new ContextError(ctxEmptyTopic());
    if (topic === this.host.loopTopic) throw new ContextError(ctxEmitToLoop());
    if (topic === this.host.tableTopic) throw new ContextError(ctxEmitToTable());
    const codec = this.host.outputCodec(topic);
    if (codec === undefined) throw new ContextError(ctxNotOutput(topic));
    const bytes = value === null ? null : this.encode(codec, value, topic, key);
    this.batch.produce(topic, this.host.outputPartition(topic, key), key, bytes, this.headersWith(options));
  }

  loopback(key: string, value: unknown, options?: ContextWriteOptions): void {
    this.check('loopback');
    const { loopTopic, loopCodec } = this.host;
    if (loopTopic === undefined || loopCodec === undefined) throw new ContextError(ctxNoLoop());
    const bytes = this.encode(loopCodec, value, loopTopic, key);
    this.batch.produce(loopTopic, this.host.loopPartition(key), key, bytes, this.headersWith(options));
  }

  join<T = unknown>(table: string): T | undefined {
    this.check('join');
    const codec = this.host.joinCodec(table);
    if (codec === undefined) throw new ContextError(ctxJoinNotSubscribed(table));
    const bytes = this.batch.joinValue(table, this.key);
    return bytes === undefined ? undefined : (this.decode(codec, bytes, table) as T);
  }

  lookup<T = unknown>(table: string, key: string): Promise<T | undefined> {
    this.check('lookup');
    const found = this.host.lookup(table, key);
    if (found === undefined) return Promise.reject(new ContextError(ctxLookupNotSubscribed(table)));
    return found as Promise<T | undefined>;
  }

  fail(error: unknown): never {
    throw error;
  }

  deferCommit(): (error?: unknown) => void {
    this.check('deferCommit');
    return this.deferrer === undefined ? NOOP_RELEASE : this.deferrer.deferCommit(this, this.token as Token);
  }

  private check(method: string): void {
    if (!this.open) throw new ContextError(ctxOutsideCallback(method));
  }

  private stateful(): Codec<unknown> {
    const codec = this.host.tableCodec;
    if (codec === undefined) throw new ContextError(ctxStateless());
    return codec;
  }

  private headersWith(options: ContextWriteOptions | undefined): Headers | undefined {
    const defaults = this.host.defaultHeaders;
    if (options?.headers === undefined) return defaults;
    return defaults === undefined ? options.headers : { ...defaults, ...options.headers };
  }

  private encode(codec: Codec<unknown>, value: unknown, topic: string, key: string): Buffer {
    try {
      return codec.encode(value);
    } catch (error) {
      throw CodecError.wrap(error, { operation: 'encode', topic, key });
    }
  }

  private decode(codec: Codec<unknown>, bytes: Buffer, topic: string): unknown {
    try {
      return codec.decode(bytes);
    } catch (error) {
      throw CodecError.wrap(error, { operation: 'decode', topic, key: this.key });
    }
  }
}
