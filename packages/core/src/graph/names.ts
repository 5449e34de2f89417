/**
 * Name types and topic naming of a processor group (Goka's `Stream`, `Table`, `Group`,
 * `GroupTable`, `loopName`). Suffixes are passed per call or per graph, never set globally.
 */

/** Name of an event stream topic (Kafka `cleanup.policy=delete`). */
export type Stream = string;

/** Name of a table topic (Kafka `cleanup.policy=compact`). */
export type Table = string;

/**
 * Name of a processor group: the Kafka consumer group id and the prefix of the group's table
 * (`<group>-table`) and loop stream (`<group>-loop`).
 */
export type Group = string;

/** Goka's default suffix of the group table topic. */
export const DEFAULT_TABLE_SUFFIX = '-table';

/** Goka's default suffix of the group loop topic. */
export const DEFAULT_LOOP_SUFFIX = '-loop';

/** The name of a group and, optionally, the suffixes of its table and loop topics. */
export interface GroupDefinition {
  readonly group: Group;
  /** Suffix of the group table topic; default {@link DEFAULT_TABLE_SUFFIX} (`-table`). */
  readonly tableSuffix?: string | undefined;
  /** Suffix of the loop topic; default {@link DEFAULT_LOOP_SUFFIX} (`-loop`). */
  readonly loopSuffix?: string | undefined;
}

/** A {@link GroupDefinition} with its suffixes resolved. */
export interface ResolvedGroupDefinition {
  readonly group: Group;
  readonly tableSuffix: string;
  readonly loopSuffix: string;
}

/** The group table topic of `group`: `tableName('clicks')` is `clicks-table`. */
export function tableName(group: Group, suffix: string = DEFAULT_TABLE_SUFFIX): Table {
  return group + suffix;
}

/** The loop topic of `group`: `loopName('clicks')` is `clicks-loop`. */
export function loopName(group: Group, suffix: string = DEFAULT_LOOP_SUFFIX): Stream {
  return group + suffix;
}

/** Fills in default suffixes; a plain string is a group with default suffixes. */
export function resolveGroupDefinition(definition: Group | GroupDefinition): ResolvedGroupDefinition {
  if (typeof definition === 'string') {
    return Object.freeze({ group: definition, tableSuffix: DEFAULT_TABLE_SUFFIX, loopSuffix: DEFAULT_LOOP_SUFFIX });
  }
  return Object.freeze({
    group: definition.group,
    tableSuffix: definition.tableSuffix ?? DEFAULT_TABLE_SUFFIX,
    loopSuffix: definition.loopSuffix ?? DEFAULT_LOOP_SUFFIX,
  });
}
