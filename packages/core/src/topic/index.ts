export { TopicManager } from './topic-manager.js';
export type { MismatchPolicy, TopicManagerOptions } from './topic-manager-options.js';
export type { CreateTopicsOptions, TopicCreateSpec } from './topic-creation.js';
