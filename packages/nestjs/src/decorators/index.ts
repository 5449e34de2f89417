export { InjectEmitter } from './inject-emitter.decorator.js';
export { InjectProcessor } from './inject-processor.decorator.js';
export { InjectView } from './inject-view.decorator.js';
