/**
 * What "fails fast" means in the connection specs: well before kafkajs' own retries would give up
 * (6–10 s), and under the 5 s the Kafka-layer issue asks for. Not the connection timeout plus a little:
 * a loaded CI machine stalls a process for longer than that now and then.
 */
export const FAIL_FAST_MS = 5_000;
