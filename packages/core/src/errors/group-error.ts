import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { commitAfterGeneration } from './messages.js';

/** The group could not be balanced (the assignor refused the members or topics). */
export class RebalanceError extends GokaError {
  constructor(
    message: string,
    readonly groupId?: string,
    options: GokaErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A commit was refused because the member's generation is over; the records will be redelivered. */
export class CommitFailedError extends GokaError {
  constructor(
    readonly groupId: string,
    readonly generation: number,
    options: GokaErrorOptions = {},
  ) {
    super(commitAfterGeneration(groupId, generation), options);
  }
}
