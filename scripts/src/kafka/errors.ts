/** Base class of every error the Kafka harness throws: the message says what to do next. */
export class KafkaHarnessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Maven could not resolve or copy the broker jars. */
export class KafkaJarsError extends KafkaHarnessError {}

/** `java` (or `mvn`) is missing or failed before the broker started. */
export class KafkaToolError extends KafkaHarnessError {}

/** A broker of the same profile is already running (started by `pnpm kafka up` or by a test). */
export class KafkaAlreadyRunningError extends KafkaHarnessError {}

/** A port the broker needs is taken by another process. */
export class KafkaPortInUseError extends KafkaHarnessError {}

/** A broker process exited, or the cluster did not become ready before the deadline. */
export class KafkaStartError extends KafkaHarnessError {}

/** Another `up` or `down` of the same profile holds the lock. */
export class KafkaBusyError extends KafkaHarnessError {}
