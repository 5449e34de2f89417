import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** A commit after the member's generation ended. */
export function commitAfterGeneration(groupId: string, generation: number): string {
  return `cannot commit for group ${quote(groupId)}: generation ${generation} is over (the group rebalanced)`;
}

/** The group could not be balanced (the assignor refused the members or topics). */
export class RebalanceError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_REBALANCE';

  constructor(
    message: string,
    readonly groupId?: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, message, options);
  }
}

/** A commit was refused because the member's generation is over; the records will be redelivered. */
export class CommitFailedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_COMMIT_FAILED';

  constructor(
    readonly groupId: string,
    readonly generation: number,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, commitAfterGeneration(groupId, generation), options);
  }
}
