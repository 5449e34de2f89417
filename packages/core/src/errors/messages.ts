/**
 * Every error message of the library is built here, so wording stays consistent and messages can
 * be reviewed in one place. Functions return plain strings; the error classes call them.
 */

/** Longest rendering of a user-supplied string (key, value text) inside a message. */
const MAX_QUOTED = 120;

/** Quotes a user-supplied string for a message: JSON-escaped, cut after {@link MAX_QUOTED} chars. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}

/** A short type description of a runtime value, like Go's `%T` (`string`, `null`, `Date`, `bigint`). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const ctor: unknown = Object.getPrototypeOf(value)?.constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'object';
}

// ---------------------------------------------------------------------------------------------
// codecs

/** Where a codec failure happened, as far as the caller knows. */
export interface CodecFailureContext {
  readonly codec: string;
  readonly operation: 'encode' | 'decode';
  readonly reason: string;
  readonly topic?: string | undefined;
  readonly key?: string | undefined;
}

/** `int64 codec cannot decode the value of topic "t" key "k": <reason>` (topic/key when known). */
export function codecFailed(ctx: CodecFailureContext): string {
  let where = '';
  if (ctx.topic !== undefined) {
    where = ` the value of topic ${quote(ctx.topic)}`;
    if (ctx.key !== undefined) where += ` key ${quote(ctx.key)}`;
  } else if (ctx.key !== undefined) {
    where = ` the value of key ${quote(ctx.key)}`;
  }
  return `${ctx.codec} codec cannot ${ctx.operation}${where}: ${ctx.reason}`;
}

/** Reason: the value handed to `encode` has the wrong runtime type. */
export function codecWrongType(expected: string, value: unknown): string {
  return `value to encode is not of type ${expected} but ${describeType(value)}`;
}

/** Reason: a number that is not an integer (int64 encode). */
export function codecNotAnInteger(value: number): string {
  return `${String(value)} is not an integer`;
}

/** Reason: a number outside the safe-integer range (int64 encode/decode). */
export function codecUnsafeInteger(text: string): string {
  return (
    `${text} is outside the safe integer range ` +
    `[${Number.MIN_SAFE_INTEGER}, ${Number.MAX_SAFE_INTEGER}] (use codecs.bigint64 for full int64)`
  );
}

/** Reason: a bigint outside the signed 64-bit range (bigint64 encode/decode). */
export function codecOutsideInt64(text: string): string {
  return `${text} is outside the int64 range [-9223372036854775808, 9223372036854775807]`;
}

/** Reason: the bytes are not a decimal integer (Go `strconv.ParseInt` syntax). */
export function codecNotDecimal(text: string): string {
  return `error parsing data from string ${quote(text)}: not a decimal integer (optional sign, digits only)`;
}

/** Reason: `JSON.stringify` produced no text (undefined, a function, a symbol). */
export function codecJsonNotSerializable(value: unknown): string {
  return `a value of type ${describeType(value)} has no JSON representation`;
}

/** Reason: `JSON.stringify` / `JSON.parse` threw. */
export function codecJsonFailed(reason: string): string {
  return `invalid JSON: ${reason}`;
}

// ---------------------------------------------------------------------------------------------
// partitioner

/** The partition count passed to the partitioner is not a positive 32-bit integer. */
export function invalidPartitionCount(count: number): string {
  return `partition count must be a positive integer, got ${String(count)}`;
}

// ---------------------------------------------------------------------------------------------
// storage

/** Identifies one local store in messages. */
export interface StorageLocation {
  readonly topic?: string | undefined;
  readonly partition?: number | undefined;
  readonly path?: string | undefined;
}

/** `storage of topic "t" partition 3 (at /data/t.3)`, leaving out what is unknown. */
export function storageLabel(loc: StorageLocation): string {
  let label = 'storage';
  if (loc.topic !== undefined) label += ` of topic ${quote(loc.topic)}`;
  if (loc.partition !== undefined) label += ` partition ${loc.partition}`;
  if (loc.path !== undefined) label += ` at ${loc.path}`;
  return label;
}

/** A storage operation failed in the underlying engine. */
export function storageFailed(loc: StorageLocation, operation: string, reason: string): string {
  return `${storageLabel(loc)}: ${operation} failed: ${reason}`;
}

/** The store's directory is locked by another process (or another open handle in this one). */
export function storageLocked(loc: StorageLocation): string {
  return (
    `${storageLabel(loc)} is locked by another process or another open handle ` +
    `(RocksDB LOCK file${loc.path !== undefined ? ` ${loc.path}/LOCK` : ''}); ` +
    'stop the other instance or give each instance its own storage path'
  );
}

/** An operation was attempted after `close()`. */
export function storageClosed(loc: StorageLocation, operation: string): string {
  return `${storageLabel(loc)} is closed: cannot ${operation}`;
}

/** A user key equals the reserved key that holds the table offset. */
export function storageReservedKey(loc: StorageLocation, key: string): string {
  return (
    `${storageLabel(loc)}: the key ${quote(key)} is reserved for the table offset ` +
    '(Goka stores the applied offset under it) and cannot be written or deleted'
  );
}

/** A put carried something other than a Buffer (Goka: `cannot write nil value`). */
export function storageInvalidValue(loc: StorageLocation, key: string, value: unknown): string {
  return (
    `${storageLabel(loc)}: cannot write a ${describeType(value)} value for key ${quote(key)}; ` +
    'values are Buffers (use delete() for tombstones)'
  );
}

/** A key that is not a string. */
export function storageInvalidKey(loc: StorageLocation, key: unknown): string {
  return `${storageLabel(loc)}: keys are strings, got ${describeType(key)}`;
}

/** A batch operation with an unknown `type`. */
export function storageInvalidOp(loc: StorageLocation, type: unknown): string {
  return `${storageLabel(loc)}: batch operation type must be "put" or "del", got ${quote(String(type))}`;
}

/** `setOffset` / `write` got an offset that is not a non-negative safe integer. */
export function storageInvalidOffset(loc: StorageLocation, offset: unknown): string {
  return `${storageLabel(loc)}: offset must be a non-negative safe integer, got ${String(offset)}`;
}

/** The stored offset is not decimal text. */
export function storageCorruptOffset(loc: StorageLocation, text: string): string {
  return `${storageLabel(loc)}: stored offset ${quote(text)} is not a non-negative decimal integer`;
}

/** A topic name that would escape or break the `<root>/<topic>.<partition>` layout. */
export function storageInvalidTopic(topic: string): string {
  return (
    `topic ${quote(topic)} cannot name a storage directory: ` +
    'use Kafka topic characters only (letters, digits, ".", "_", "-"), not "." or ".."'
  );
}

/** A partition number that is not a non-negative integer. */
export function storageInvalidPartition(topic: string, partition: number): string {
  return `topic ${quote(topic)}: partition must be a non-negative integer, got ${String(partition)}`;
}

// ---------------------------------------------------------------------------------------------
// kafka

/** `topic "t" was not found (requested topic was not found)`. */
export function topicNotFound(topic: string): string {
  return `topic ${quote(topic)} was not found (requested topic was not found)`;
}

/** `topic "t" has no partition 7`. */
export function partitionNotFound(topic: string, partition: number): string {
  return `topic ${quote(topic)} has no partition ${partition}`;
}

/**
 * `producing to topic "t" partition 3 failed: <reason>`; with the record that failed:
 * `producing the record with key "big" (1048600 bytes) to topic "t" partition 3 failed: <reason>`.
 */
export function produceFailed(topic: string, partition: number, reason: string, record?: { key: string; bytes: number }): string {
  const what = record === undefined ? '' : ` the record with key ${quote(record.key)} (${record.bytes} bytes)`;
  return `producing${what} to topic ${quote(topic)} partition ${partition} failed: ${reason}`;
}

/**
 * `cannot reach Kafka at 127.0.0.1:9092 (client "goka-view-t"): <reason>`, prefixed with the component
 * when known: `processor group "g" cannot reach Kafka at ...`.
 */
export function kafkaUnreachable(brokers: readonly string[], clientId: string, reason: string, component?: string): string {
  const who = component === undefined ? '' : `${component} `;
  return `${who}cannot reach Kafka at ${brokers.join(',')} (client ${quote(clientId)}): ${reason}`;
}

/**
 * `processor group "g" could not authenticate to Kafka at 127.0.0.1:9094 (client "c") with SASL SCRAM-SHA-256
 * as user "goka": <reason>; check sasl.username and sasl.password (not retried)`.
 */
export function kafkaAuthenticationFailed(
  brokers: readonly string[],
  clientId: string,
  mechanism: string,
  username: string | undefined,
  reason: string,
  component?: string,
): string {
  const who = component === undefined ? '' : `${component} `;
  const as = username === undefined ? '' : ` as user ${quote(username)}`;
  return (
    `${who}could not authenticate to Kafka at ${brokers.join(',')} (client ${quote(clientId)}) with SASL ${mechanism}${as}: ` +
    `${reason}; check the sasl option (mechanism, username, password) against the broker's users (not retried)`
  );
}

/**
 * What went wrong with TLS: the broker's `certificate` was rejected, the TLS `handshake` was cut off (a TLS
 * client on a plaintext port), or the broker closed the connection of a client `without-tls` before
 * answering (a plaintext client on a TLS port).
 */
export type TlsProblem = 'certificate' | 'handshake' | 'without-tls';

const TLS_PROBLEMS: Readonly<Record<TlsProblem, (reason: string) => string>> = {
  certificate: (reason) =>
    `TLS problem: the broker's certificate was rejected (${reason}); trust the CA that signed it ` +
    "(ssl: { ca: [fs.readFileSync('ca.pem')] }) and connect to a name or IP address the certificate lists",
  handshake: (reason) =>
    `TLS problem: the connection closed before the TLS handshake completed (${reason}); is the port a TLS ` +
    'listener (SSL or SASL_SSL)? A PLAINTEXT or SASL_PLAINTEXT listener drops a TLS client',
  'without-tls': (reason) =>
    `probably a TLS problem: the broker closed the connection before answering the first request (${reason}), ` +
    'as a TLS listener (SSL or SASL_SSL) does with a client that does not speak TLS; if it is one, set the ssl ' +
    "option (ssl: true, or ssl: { ca: [fs.readFileSync('ca.pem')] } for a private CA)",
};

/** `view of table "t" cannot connect to Kafka at 127.0.0.1:9094 (client "c"): TLS problem: ...`. */
export function kafkaTlsFailed(
  brokers: readonly string[],
  clientId: string,
  problem: TlsProblem,
  reason: string,
  component?: string,
): string {
  const who = component === undefined ? '' : `${component} `;
  return `${who}cannot connect to Kafka at ${brokers.join(',')} (client ${quote(clientId)}): ${TLS_PROBLEMS[problem](reason)}`;
}

/** `reading topic "t" partition 3 at offset 17 failed: <reason>`. */
export function readFailed(topic: string, partition: number, offset: number, reason: string): string {
  return `reading topic ${quote(topic)} partition ${partition} at offset ${offset} failed: ${reason}`;
}

// ---------------------------------------------------------------------------------------------
// graph (group graph definition and validation)

/** Prefix of every graph message: `invalid group graph "clicks"`. */
function graphLabel(group: string): string {
  return `invalid group graph ${quote(group)}`;
}

/** `defineGroup` got something that is not an edge (Goka silently ignores unknown edges). */
export function graphInvalidEdge(group: string, index: number, value: unknown): string {
  return (
    `${graphLabel(group)}: edge #${index} is not a graph edge (got ${describeType(value)}); ` +
    'build edges with input(), inputs(), join(), lookup(), loop(), output(), persist() or visitor()'
  );
}

/** An input edge with an empty topic (Goka panics: `Input topic cannot be empty. This will not work.`). */
export function graphEmptyInputTopic(group: string): string {
  return `${graphLabel(group)}: input topic cannot be empty. This will not work.`;
}

/** A second input callback for one topic (Goka panics with the same sentence). */
export function graphDuplicateInput(group: string, topic: string): string {
  return (
    `${graphLabel(group)}: callback for topic ${quote(topic)} already exists. ` +
    'It is illegal to consume a topic twice (declare one input per topic and branch inside its callback)'
  );
}

/** The group name is empty (Goka does not check; it would name the topics `-table` and `-loop`). */
export function graphEmptyGroup(): string {
  return (
    `${graphLabel('')}: the group name cannot be empty ` +
    '(it names the consumer group, the group table and the loop stream)'
  );
}

/** Goka rule 1: more than one `loop` edge. */
export function graphMultipleLoops(group: string, count: number): string {
  return `${graphLabel(group)}: more than one loop stream in group graph (${count} loop edges; declare loop() at most once)`;
}

/** Goka rule 2: more than one `persist` edge. */
export function graphMultipleTables(group: string, count: number): string {
  return `${graphLabel(group)}: more than one group table in group graph (${count} persist edges; declare persist() at most once)`;
}

/** Goka rule 3: no input edge (a loop alone does not count). */
export function graphNoInput(group: string): string {
  return (
    `${graphLabel(group)}: no input stream in group graph ` +
    '(declare at least one input(topic, codec, callback); a loop alone does not count)'
  );
}

/** Goka rule 4: an output, input, join or lookup edge names the group's loop topic. */
export function graphUsesLoopStream(group: string, kind: string, edge: string, topic: string): string {
  return (
    `${graphLabel(group)}: should not directly use loop stream: ${kind} edge ${quote(edge)} ` +
    `uses the loop topic ${quote(topic)} (declare loop(codec, callback) and write with ctx.loopback())`
  );
}

/** Goka rule 5: an output, input, join or lookup edge names the group's table topic. */
export function graphUsesGroupTable(group: string, kind: string, edge: string, topic: string): string {
  return (
    `${graphLabel(group)}: should not directly use group table: ${kind} edge ${quote(edge)} ` +
    `uses the group table ${quote(topic)} (declare persist(codec) and use ctx.value() / ctx.setValue())`
  );
}

/** Goka rule 6: visitor edges in a graph without `persist`. */
export function graphStatelessVisitors(group: string, visitor: string): string {
  return (
    `${graphLabel(group)}: visitors cannot be used in a stateless processor ` +
    `(visitor ${quote(visitor)} iterates the group table; declare persist(codec))`
  );
}

/** An output, join or lookup topic, or a visitor name, is empty (Goka does not check). */
export function graphEmptyTopic(group: string, kind: string): string {
  const what = kind === 'visitor' ? 'visitor name' : `${kind} topic`;
  return `${graphLabel(group)}: ${what} cannot be empty`;
}

/** The table and loop suffixes give the same topic name while the graph uses both. */
export function graphTableLoopConflict(group: string, topic: string): string {
  return (
    `${graphLabel(group)}: the group table and the loop stream are both named ${quote(topic)} ` +
    '(tableSuffix and loopSuffix must differ)'
  );
}

// ---------------------------------------------------------------------------------------------
// emitter

/** `emit` after `finish()` (Goka: `emitter already closed`). */
export function emitterClosed(topic: string): string {
  return `emitter for topic ${quote(topic)} already closed: finish() was called (create a new Emitter to emit again)`;
}

/** An emitter option (or the topic or codec) has an unusable value. */
export function emitterInvalidOption(topic: string, option: string, requirement: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : typeof value === 'string' ? quote(value) : describeType(value);
  return `invalid options of the emitter for topic ${quote(topic)}: ${option} must be ${requirement}, got ${got}`;
}

/** `emit` got a key that is not a string (Goka keys are strings; their UTF-8 bytes are the Kafka key). */
export function emitterInvalidKey(topic: string, key: unknown): string {
  return `emitter for topic ${quote(topic)}: keys are strings, got ${describeType(key)}`;
}

/**
 * An emit that was not acknowledged within `deliveryTimeoutMs`:
 * `emitter for topic "t": the record with key "k" was not delivered within deliveryTimeoutMs (120000 ms; tried for 121.4 s): <cause>`.
 */
export function emitterDeliveryTimedOut(topic: string, key: string, deliveryTimeoutMs: number, elapsedMs: number, reason: string): string {
  return (
    `emitter for topic ${quote(topic)}: the record with key ${quote(key)} was not delivered within ` +
    `deliveryTimeoutMs (${deliveryTimeoutMs} ms; tried for ${(elapsedMs / 1000).toFixed(1)} s), last error: ${reason}`
  );
}

/** The emitter's sends fail with a retriable error; it retries (logged at warn, once in a while). */
export function emitterWillRetry(topic: string, reason: string, waitMs: number, failingForMs: number, buffered: number): string {
  return (
    `emitter for topic ${quote(topic)}: sending failed for ${failingForMs} ms (${reason}); ` +
    `retrying in ${waitMs} ms, ${buffered} records buffered (each emit retries until its deliveryTimeoutMs)`
  );
}

/** The emitter's sends work again after failures. */
export function emitterRecovered(topic: string, failedForMs: number): string {
  return `emitter for topic ${quote(topic)}: sending works again after ${failedForMs} ms of failures`;
}

/** The producer acknowledged a send without an offset for one of its records (an adapter bug). */
export function emitterMissingOffset(topic: string, partition: number): string {
  return `the producer acknowledged a send to topic ${quote(topic)} partition ${partition} without the record's offset`;
}

// ---------------------------------------------------------------------------------------------
// table and view

/** `table "t" partition 3`: names one topic-partition of a table. */
function tableLabel(topic: string, partition: number): string {
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

/** Goka's warning when the stored offset is at or past the high-water mark (logged; the partition counts as recovered). */
export function tableOffsetAhead(topic: string, partition: number, hwm: number, storedOffset: number): string {
  return (
    `${tableLabel(topic, partition)}: local offset ${storedOffset} is not below the high-water mark ${hwm}; ` +
    'treating the partition as recovered. This can have several reasons: ' +
    '(1) the Kafka topic storing the table is gone or was recreated: delete the local cache and restart; ' +
    '(2) the process crashed last time while writing to disk; (3) you found a bug'
  );
}

/** The storage of a partition table is used before `setup()` opened it or after `close()`. */
export function tableNotOpen(topic: string, partition: number, state: string): string {
  return `${tableLabel(topic, partition)}: storage is not open (state ${state}); call setup() first`;
}

/** `recover()` / `catchUp()` called while another load of the same partition table runs. */
export function tableBusy(topic: string, partition: number): string {
  return `${tableLabel(topic, partition)}: already loading; wait for the running recover() or catchUp() to settle`;
}

/** Logged when a load failed and will be retried (Goka: `Error while starting up` / `Will retry in N seconds`). */
export function tableWillRetry(topic: string, partition: number, reason: string, waitMs: number, retries: number): string {
  return (
    `${tableLabel(topic, partition)}: error while starting up: ${reason}; ` +
    `will retry in ${Math.round(waitMs / 1000)} seconds (retried ${retries} times so far)`
  );
}

/** Logged (debug) when asking Kafka for a table partition's offsets hit a temporary error (e.g. no leader yet). */
export function tableOffsetsWillRetry(topic: string, partition: number, reason: string, waitMs: number, attempt: number): string {
  return `${tableLabel(topic, partition)}: offsets attempt ${attempt} hit a temporary Kafka error: ${reason}; retrying in ${waitMs} ms`;
}

/** Asking Kafka for a table partition's offsets kept failing with temporary errors until the deadline. */
export function tableOffsetsGaveUp(
  topic: string,
  partition: number,
  reason: string,
  attempts: number,
  elapsedMs: number,
): string {
  return (
    `${tableLabel(topic, partition)}: offsets failed: ${reason} ` +
    `(temporary Kafka error still there after ${attempts} attempts in ${elapsedMs} ms; giving up)`
  );
}

/** A partition table option is not a non-negative finite number of milliseconds. */
export function tableInvalidOption(option: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `partition table ${option} must be a non-negative finite number of milliseconds, got ${got}`;
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

/** `View.run` while a run of the same view is active. */
export function viewAlreadyRunning(table: string): string {
  return `view ${quote(table)} is already running: await stop() (or the pending run()) before running it again`;
}

/** `waitRunning()` waited for a run that ended before the view was running. */
export function viewStoppedBeforeRunning(table: string): string {
  return `view ${quote(table)} stopped before it was running`;
}

/** A view option (or the table name or codec) has an unusable value. */
export function viewInvalidOption(table: string, option: string, requirement: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `invalid options of the view of table ${quote(table)}: ${option} must be ${requirement}, got ${got}`;
}

/** A state signal was set to a state it does not declare (Goka panics). */
export function stateUndeclared(state: string, declared: readonly string[]): string {
  return `state ${quote(state)} is not declared (declared states: ${declared.join(', ')})`;
}

/** A backoff setting is not a non-negative finite number of milliseconds. */
export function backoffInvalidOption(option: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `backoff ${option} must be a non-negative finite number of milliseconds, got ${got}`;
}

// ---------------------------------------------------------------------------------------------
// topic manager

/** `topic "t" has partition gap: partitions [0,1,3] are not 0..n-1`. */
export function topicPartitionGap(topic: string, partitions: readonly number[]): string {
  return `topic ${quote(topic)} has a partition gap: partitions [${partitions.join(',')}] are not numbered 0..${partitions.length - 1}`;
}

/** Goka's `topics are not copartitioned! Topic 'b' does not have 4 partitions like the rest but 2`. */
export function topicsNotCopartitioned(topic: string, expected: number, actual: number, group?: string): string {
  const who = group === undefined ? '' : ` of group ${quote(group)}`;
  return (
    `topics${who} are not copartitioned! Topic ${quote(topic)} does not have ${expected} partitions like the rest ` +
    `but ${actual}. Inputs, joins, the loop and the group table must have the same number of partitions`
  );
}

/** Goka's NoCreate message. */
export function topicNotCreated(topic: string): string {
  return `topic ${quote(topic)} does not exist but the topic manager is configured with noCreate, so it will not create it`;
}

/** `processor "g": createTopics.partitions must be a positive integer, got 0`. */
export function topicCreationOption(option: string, requirement: string, value: unknown, owner?: string): string {
  let shown: string;
  try {
    shown = typeof value === 'string' ? quote(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return `${owner === undefined ? '' : `${owner}: `}${option} must be ${requirement}, got ${shown}`;
}

/** `topic "t" has 4 partitions, but 8 were requested`. */
export function topicMismatch(topic: string, what: string, actual: string, expected: string): string {
  return `topic ${quote(topic)} has ${what} ${actual}, but ${expected} was requested`;
}

// ---------------------------------------------------------------------------------------------
// connection

/** A component was given neither `brokers` nor a `kafka` adapter. */
export function missingConnection(component: string): string {
  return `${component} needs \`brokers\` (e.g. ['127.0.0.1:9092']) or \`kafka\` (an adapter such as new MemoryKafka())`;
}

/**
 * A component was given `brokers` without `kafka`, and the default Kafka adapter's package could not be
 * loaded: `Emitter "clicks" was given \`brokers\`, which needs the package @goka/kafkajs (not installed): ...`
 */
export function kafkaAdapterMissing(component: string, packageName: string, reason: string | undefined): string {
  const why = reason === undefined ? 'not installed' : `it could not be loaded: ${reason}`;
  return (
    `${component} was given \`brokers\`, which needs the package ${packageName} (${why}); ` +
    `install it (e.g. pnpm add ${packageName}), or pass \`kafka\` (an adapter such as new KafkajsAdapter({ brokers }) or new MemoryKafka())`
  );
}

// ---------------------------------------------------------------------------------------------
// consumer groups

/** Goka's copartition strategy message, naming the odd topic. */
export function assignNotCopartitioned(topic: string, expected: number, actual: number): string {
  return (
    `Error balancing. Not all topics are copartitioned. For goka, all topics need to have the same number of ` +
    `partitions: topic ${quote(topic)} has ${actual} partitions, others have ${expected}`
  );
}

/** Goka's strict copartition strategy message. */
export function assignTopicSetsDiffer(first: string, other: string): string {
  return (
    `Not all members request the same list of topics. A group-name clash might be the reason ` +
    `(members ${quote(first)} and ${quote(other)})`
  );
}

/** A commit after the member's generation ended. */
export function commitAfterGeneration(groupId: string, generation: number): string {
  return `cannot commit for group ${quote(groupId)}: generation ${generation} is over (the group rebalanced)`;
}

/** Members of one group offered different assignors. */
export function assignorMismatch(groupId: string, names: readonly string[]): string {
  return `members of group ${quote(groupId)} offer different partition assignors: ${names.map(quote).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// processor and context (Goka's wording where Goka has one)

export const ctxEmptyTopic = (): string => 'cannot emit to empty topic';
export const ctxEmitToLoop = (): string => 'cannot emit to loop topic (use loopback instead)';
export const ctxEmitToTable = (): string => 'cannot emit to table topic (use setValue instead)';
export const ctxNotOutput = (topic: string): string =>
  `topic ${quote(topic)} is not configured for output. Did you specify output(${quote(topic)}, codec) when defining the group?`;
export const ctxStateless = (): string => 'cannot access state in stateless processor (the group has no persist edge)';
export const ctxNilValue = (): string => 'cannot set null or undefined as value (use delete() to remove the key)';
export const ctxNoLoop = (): string => 'no loop topic configured (the group has no loop edge)';
export const ctxJoinNotSubscribed = (table: string): string =>
  `table ${quote(table)} not subscribed (declare join(${quote(table)}, codec) in the group)`;
export const ctxLookupNotSubscribed = (table: string): string =>
  `topic ${quote(table)} not subscribed (declare lookup(${quote(table)}, codec) in the group)`;
export const ctxOutsideCallback = (method: string): string =>
  `ctx.${method}() called after the callback returned: the context is only valid inside its callback`;

/** Where a message failed: `group "g" topic "t" partition 3 offset 17 key "k"`. */
export interface MessageLocation {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
}

export function messageLabel(at: MessageLocation): string {
  return `group ${quote(at.group)} topic ${quote(at.topic)} partition ${at.partition} offset ${at.offset} key ${quote(at.key)}`;
}

export function processingFailed(at: MessageLocation, reason: string): string {
  return `error processing message (${messageLabel(at)}): ${reason}`;
}

export function commitFailedAsync(at: MessageLocation, reason: string): string {
  return `asynchronous error from callback: could not commit message (${messageLabel(at)}): ${reason}`;
}

export const processorRunOnce = (group: string): string =>
  `processor of group ${quote(group)} was already run; a processor runs once (create a new one to run again)`;
export const processorStateless = (group: string, what: string): string =>
  `cannot ${what} in the stateless processor of group ${quote(group)} (the group has no persist edge)`;
export const processorMissingPartition = (group: string, partition: number): string =>
  `the processor of group ${quote(group)} does not hold partition ${partition} right now`;
export const processorNoVisitor = (group: string, name: string): string =>
  `unconfigured visit callback ${quote(name)} in group ${quote(group)}. Did you define the group with visitor(${quote(name)}, callback)?`;
export const visitAborted = (group: string, name: string): string =>
  `visitAll(${quote(name)}) of group ${quote(group)} aborted due to a rebalance or shutdown`;
export const claimsNotCopartitioned = (group: string): string =>
  `session claims of group ${quote(group)} are not copartitioned: every topic must be assigned the same partitions`;
export const processorNotRunning = (group: string): string =>
  `the processor of group ${quote(group)} is not running`;

// ---------------------------------------------------------------------------------------------
// processor: produce retries through broker outages, offsets and stats (issue 4)

export const processorProduceWillRetry = (
  group: string,
  partition: number,
  topic: string,
  reason: string,
  waitMs: number,
  failingForMs: number,
): string =>
  `group ${quote(group)} partition ${partition}: producing the records of a batch of ${quote(topic)} failed ` +
  `(${reason}); will retry in ${waitMs} ms (failing for ${failingForMs} ms); later batches of the partition wait, ` +
  'nothing of it is committed before it is acknowledged';
export const processorProduceRecovered = (group: string, partition: number, topic: string, failingForMs: number): string =>
  `group ${quote(group)} partition ${partition}: producing the records of a batch of ${quote(topic)} succeeded ` +
  `again after ${failingForMs} ms of retries`;
export const processorProduceAbandoned = (group: string, partition: number, topic: string): string =>
  `group ${quote(group)} partition ${partition}: the generation ended while the records of a batch of ${quote(topic)} ` +
  'could not be produced; the batch and everything after it are not committed and will be processed again';
export const processorCommitFailed = (group: string, reason: string): string =>
  `group ${quote(group)}: committing offsets failed (${reason}); the messages since the last commit will be processed again ` +
  'if the partitions move before the next commit succeeds';
export const processorStatsNoHighWatermarks = (group: string, reason: string): string =>
  `group ${quote(group)}: stats report the last known high-water marks, Kafka did not answer (${reason})`;

// ---------------------------------------------------------------------------------------------
// compression of record batches

/** `cannot decompress the lz4 record batch at offset 12 of topic "t" partition 0: <reason>` */
export function batchDecompressionFailed(topic: string, partition: number, baseOffset: number, codec: string, reason: string): string {
  return `cannot decompress the ${codec} record batch at offset ${baseOffset} of topic ${quote(topic)} partition ${partition}: ${reason}`;
}

/** `zstd compression is not available: <reason>` */
export function compressionUnavailable(codec: string, reason: string): string {
  return `${codec} compression is not available: ${reason}`;
}

/** `processor "g": option compression must be one of none, gzip, snappy, lz4, zstd, got "brotli"` */
export function invalidCompression(owner: string, allowed: readonly string[], value: unknown): string {
  return `${owner}: option compression must be one of ${allowed.join(', ')}, got ${typeof value === 'string' ? quote(value) : describeType(value)}`;
}
