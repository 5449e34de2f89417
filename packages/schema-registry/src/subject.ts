/**
 * How a codec names its subject (Confluent's `subject.name.strategy`): `topic` is `<topic>-value`
 * (`<topic>-key` for keys), `record` the record's full name, `topic-record` `<topic>-<record name>`.
 */
export type SubjectStrategy = 'topic' | 'record' | 'topic-record';

/** Where a codec's subject comes from (options shared by every schema codec). */
export interface SubjectOptions {
  /** The subject, explicitly; wins over `topic` and `subjectStrategy`. */
  readonly subject?: string;
  /** The topic the codec is used on (needed by the `topic` and `topic-record` strategies). */
  readonly topic?: string;
  /** @default 'topic' */
  readonly subjectStrategy?: SubjectStrategy;
  /** A key codec (`<topic>-key`) rather than a value codec. @default false */
  readonly isKey?: boolean;
}

/** The subject of a codec whose schema's record (message) name is `recordName`. */
export function subjectName(options: SubjectOptions, recordName: string | undefined, codec: string): string {
  if (options.subject !== undefined) return options.subject;
  const strategy = options.subjectStrategy ?? 'topic';
  if (strategy !== 'topic' && recordName === undefined) {
    throw new TypeError(`${codec}: the ${strategy} subject strategy needs a named record schema`);
  }
  if (strategy === 'record') return recordName as string;
  if (options.topic === undefined) throw new TypeError(`${codec}: give { topic } (or { subject }) to name the subject`);
  return strategy === 'topic' ? `${options.topic}-${options.isKey === true ? 'key' : 'value'}` : `${options.topic}-${recordName as string}`;
}
