export { Emitter } from './emitter.js';
export type { EmitterStats, EmitterTransaction } from './emitter.js';
export type { EmitOptions, EmitterOptions } from './emitter-options.js';
