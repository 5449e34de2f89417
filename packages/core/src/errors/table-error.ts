import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** `table "t" partition 3`: names one topic-partition of a table. */
export function tableLabel(topic: string, partition: number): string {
  return `table ${quote(topic)} partition ${partition}`;
}

/** ` at offset 17` / ` at offsets 17..42`, or nothing when no offset is known. */
function offsetRange(offset: number | undefined, lastOffset?: number): string {
  if (offset === undefined) return '';
  return lastOffset !== undefined && lastOffset !== offset ? ` at offsets ${offset}..${lastOffset}` : ` at offset ${offset}`;
}

/** An operation of a partition table (open, offsets, read, write, ...) failed. */
export function tableOperationFailed(
  topic: string,
  partition: number,
  operation: string,
  reason: string,
  offset?: number,
  lastOffset?: number,
): string {
  return `${tableLabel(topic, partition)}: ${operation} failed${offsetRange(offset, lastOffset)}: ${reason}`;
}

/** A table record's value does not decode with the reader's codec; its batch was not written. */
export function tableUndecodableRecord(
  topic: string,
  partition: number,
  offset: number,
  key: string,
  reason: string,
  batch: { readonly first: number; readonly last: number },
): string {
  return (
    `${tableLabel(topic, partition)}: cannot decode the value at offset ${offset} key ${quote(key)}: ${reason} ` +
    `(nothing of its batch, offsets ${batch.first}..${batch.last}, was written)`
  );
}

/** Goka's error when the local store has an offset but the topic is empty. */
export function tableGone(topic: string, partition: number, hwm: number, storedOffset: number): string {
  return (
    `${tableLabel(topic, partition)}: kafka tells us there's no message in the topic, but our cache has one ` +
    `(local offset ${storedOffset}, high-water mark ${hwm}). The table might be gone. Try to delete your local cache!`
  );
}

/**
 * `View.get` (and friends) while the view is idle or initializing (Goka's message, plus what to do);
 * with the error that ended its last run, when one did.
 */
export function viewNotRunning(table: string, state: string, lastError?: unknown): string {
  const base =
    `view ${quote(table)} (state ${state}): View is either not running, not correctly initialized or stopped again. ` +
    "It's not safe to retrieve values";
  if (lastError === undefined) return `${base} (call run() and await waitRunning())`;
  const name = lastError instanceof Error ? lastError.name : typeof lastError;
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  return `${base}: its last run failed with ${name}: ${reason}`;
}

/**
 * What a partition table was doing when it failed: opening its storage (`open`), reading the stored
 * offset (`get-offset`), asking Kafka for oldest offset and high-water mark (`offsets`), reading
 * records (`read`), checking values with the reader's codec (`decode`), writing a batch (`write`),
 * running the user's update callback (`update`), marking the storage recovered (`mark-recovered`),
 * closing (`close`), or starting a second load while one runs (`load`).
 */
export type TableOperation =
  | 'open'
  | 'get-offset'
  | 'offsets'
  | 'read'
  | 'decode'
  | 'write'
  | 'update'
  | 'mark-recovered'
  | 'close'
  | 'load';

/** Where a {@link TableError} happened. */
export interface TableErrorDetails {
  readonly topic: string;
  readonly partition: number;
  readonly operation: TableOperation;
  /** The record offset involved (for a batch: its first offset), when known. */
  readonly offset?: number | undefined;
  /** The last offset of the batch involved, when the error concerns a batch. */
  readonly lastOffset?: number | undefined;
}

/** Kafka operations: failing them is worth retrying (auto-reconnect); all others are not. */
const KAFKA_OPERATIONS: ReadonlySet<TableOperation> = new Set<TableOperation>(['offsets', 'read']);

/**
 * A partition table (one topic-partition of a group table, join table or view) failed. Names topic,
 * partition, what it was doing and, when known, the offset(s). `retriable` is `true` for Kafka
 * operations (`offsets`, `read`): those are the errors auto-reconnect retries with backoff.
 */
export class TableError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TABLE';

  readonly topic: string;
  readonly partition: number;
  readonly operation: TableOperation;
  readonly offset: number | undefined;
  readonly lastOffset: number | undefined;

  constructor(message: string, details: TableErrorDetails, options: GokaErrorOptions = {}) {
    super(new.target.code, message, { retriable: KAFKA_OPERATIONS.has(details.operation), ...options });
    this.topic = details.topic;
    this.partition = details.partition;
    this.operation = details.operation;
    this.offset = details.offset;
    this.lastOffset = details.lastOffset;
  }

  /** The error of a failed operation: keeps `cause` and takes its message as the reason. */
  static failed(details: TableErrorDetails, cause: unknown): TableError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = tableOperationFailed(
      details.topic,
      details.partition,
      details.operation,
      reason,
      details.offset,
      details.lastOffset,
    );
    return new TableError(message, details, { cause });
  }
}

/**
 * A table record's value could not be decoded with the reader's codec (a view validates every value
 * before writing a batch). Nothing of the record's batch was written; `offset` and `key` name the
 * record, `cause` is the codec's error.
 */
export class TableDecodeError extends TableError {
  static override readonly code: GokaErrorCode = 'GOKA_TABLE_DECODE';

  /** The offset of the undecodable record. */
  declare readonly offset: number;
  readonly key: string;

  constructor(
    details: { readonly topic: string; readonly partition: number; readonly offset: number; readonly key: string },
    batch: { readonly first: number; readonly last: number },
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      tableUndecodableRecord(details.topic, details.partition, details.offset, details.key, reason, batch),
      { topic: details.topic, partition: details.partition, operation: 'decode', offset: details.offset },
      { cause },
    );
    this.key = details.key;
  }
}

/**
 * The local store holds an offset but Kafka reports the partition empty (high-water mark 0): the
 * table topic was probably deleted. Goka's advice applies: delete the local cache.
 */
export class TableGoneError extends TableError {
  static override readonly code: GokaErrorCode = 'GOKA_TABLE_GONE';

  readonly hwm: number;
  readonly storedOffset: number;

  constructor(topic: string, partition: number, hwm: number, storedOffset: number) {
    super(tableGone(topic, partition, hwm, storedOffset), { topic, partition, operation: 'offsets', offset: storedOffset }, {
      retriable: false,
    });
    this.hwm = hwm;
    this.storedOffset = storedOffset;
  }
}

/** A view cannot do what was asked (bad options, already running, unusable topic). Names the table. */
export class ViewError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_VIEW';

  constructor(
    message: string,
    readonly table: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, message, options);
  }
}

/**
 * A view was read while idle or initializing (Goka: "View is either not running, not correctly
 * initialized or stopped again. It's not safe to retrieve values"). `state` is the view state then;
 * when the view's last run ended with an error (and it has not been running since), that error is
 * `cause` and its message is part of this one, so the reader learns why the view is down.
 */
export class ViewNotRunningError extends ViewError {
  static override readonly code: GokaErrorCode = 'GOKA_VIEW_NOT_RUNNING';

  constructor(
    table: string,
    readonly state: string,
    lastError?: unknown,
  ) {
    super(viewNotRunning(table, state, lastError), table, lastError === undefined ? {} : { cause: lastError });
  }
}
