import { GokaError } from '../../errors/goka-error.js';
import type { GokaErrorCode } from '../../errors/error-codes.js';

/**
 * The run of a consumer-group member ended because its instance was crashed on purpose
 * ({@link MemoryGroupCoordinator.crash}, a simulation of a killed process).
 */
export class MemberCrashedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_MEMBER_CRASHED';

  constructor(
    readonly groupId: string,
    readonly memberId: string,
  ) {
    super(new.target.code, 
      `member "${memberId}" of group "${groupId}" crashed (simulated): its generation ended without revoke; ` +
        'what it did not commit is delivered again to the members that take over its partitions',
    );
  }
}
