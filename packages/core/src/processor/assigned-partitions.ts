import { GokaError } from '../errors/goka-error.js';
import type { Assignment } from '../kafka/consumer-group.js';
import { claimsNotCopartitioned } from './processor.messages.js';

/** The partitions of an assignment; every topic must have the same ones (Goka's copartitioning). */
export function assignedPartitions(assignment: Assignment, group: string): number[] {
  let partitions: number[] | undefined;
  for (const ids of assignment.values()) {
    const sorted = [...ids].sort((a, b) => a - b);
    if (partitions === undefined) partitions = sorted;
    else if (sorted.join(',') !== partitions.join(',')) throw new GokaError('GOKA_CLAIMS_NOT_COPARTITIONED', claimsNotCopartitioned(group));
  }
  return partitions ?? [];
}
