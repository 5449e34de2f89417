import { GokaError } from '@goka/core';

/**
 * @publicApi A tester was used wrongly: a topic without a registered codec, two codecs for one
 * topic, an instance that is not running, ...
 */
export class TesterError extends GokaError {}
