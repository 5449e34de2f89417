/** Processor states in order (Goka's Idle, Starting, Setup, Running, Stopping, Stopped). */
export const PROCESSOR_STATES = ['idle', 'starting', 'setup', 'running', 'stopping', 'stopped'] as const;

/** One of {@link PROCESSOR_STATES}. */
export type ProcessorState = (typeof PROCESSOR_STATES)[number];
