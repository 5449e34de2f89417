export { InjectEmitter, InjectProcessor, InjectView } from './decorators/index.js';
export { getEmitterToken, getProcessorToken, getViewToken } from './goka.tokens.js';
