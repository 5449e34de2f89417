export { Emitter } from './emitter.js';
export type { EmitterStats } from './emitter.js';
export type { EmitOptions, EmitterOptions } from './emitter-options.js';
