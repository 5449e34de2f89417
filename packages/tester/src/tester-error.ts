import { GokaError } from '@goka/core';
import type { GokaErrorCode, GokaErrorOptions } from '@goka/core';

/** The codes of the errors @goka/tester throws (README errors table). */
export const TESTER_ERROR_CODES = ['GOKA_TESTER'] as const;

declare module '@goka/core' {
  interface GokaErrorCodes extends Record<(typeof TESTER_ERROR_CODES)[number], true> {}
}

/**
 * @publicApi A tester was used wrongly: a topic without a registered codec, two codecs for one
 * topic, an instance that is not running, ...
 */
export class TesterError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TESTER';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
