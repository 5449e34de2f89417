export { QueueTracker } from './queue-tracker.js';
export type { TrackedMessage } from './queue-tracker.js';
export { createTester } from './tester.js';
export type { Tester, TesterOptions } from './tester.js';
