export { MergeIterator } from './merge-iterator.js';
export type { ViewEntry } from './merge-iterator.js';
export { View } from './view.js';
export { resolveViewOptions } from './view-options.js';
export type { ResolvedViewOptions, ViewOptions } from './view-options.js';
export { VIEW_STATES, viewStateOf } from './view-state.js';
export type { ViewState, ViewStateListener } from './view-state.js';
export type { ViewStats } from './view-stats.js';
