import { GokaError } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** Where a codec's `bind` failed. */
export interface CodecBindFailure {
  /** The codec's name (`avro`, ...), or `custom`. */
  readonly codec: string;
  readonly topic: string;
  readonly isKey: boolean;
  /** The processor group; `undefined` for a view or an emitter. */
  readonly group: string | undefined;
  /** What `bind` rejected with. */
  readonly cause: unknown;
}

function describeFailure(failure: CodecBindFailure): string {
  const owner = failure.group === undefined ? '' : ` of group ${quote(failure.group)}`;
  const reason = failure.cause instanceof Error ? failure.cause.message : String(failure.cause);
  return `cannot bind the ${failure.codec} codec of the ${failure.isKey ? 'key' : 'value'} of topic ${quote(failure.topic)}${owner}: ${reason}`;
}

/**
 * @publicApi A codec's `bind` (see `Codec.bind`) rejected when a processor, view or emitter started:
 * e.g. a schema-registry codec without a registry, or the registry unreachable. Names the codec,
 * topic, group and whether it was the key or value codec; `cause` is the rejection. Retriable when
 * the cause is (a registry outage): starting again may succeed.
 */
export class CodecBindError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_CODEC_BIND';

  readonly codec: string;
  readonly topic: string;
  readonly isKey: boolean;
  readonly group: string | undefined;

  constructor(failure: CodecBindFailure) {
    const retriable = failure.cause instanceof GokaError && failure.cause.retriable;
    super(new.target.code, describeFailure(failure), { cause: failure.cause, retriable });
    this.codec = failure.codec;
    this.topic = failure.topic;
    this.isKey = failure.isKey;
    this.group = failure.group;
  }
}
