import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * What is wrong with a processor definition: the rule a `@Processor` class breaks.
 *
 * @publicApi
 */
export type ProcessorDefinitionRule =
  | 'duplicate-processor'
  | 'duplicate-input'
  | 'missing-input'
  | 'duplicate-persist'
  | 'visitor-without-persist'
  | 'duplicate-loop'
  | 'duplicate-visitor'
  | 'empty-group'
  | 'empty-topic'
  | 'scoped-processor'
  | 'invalid-graph';

/** Where a definition error points: the group, the class(es) and the method(s) involved. */
export interface ProcessorDefinitionErrorDetails {
  readonly rule: ProcessorDefinitionRule;
  readonly group: string;
  /** The classes involved (two for `duplicate-processor`, one otherwise). */
  readonly classNames: readonly string[];
  /** The methods involved, when the rule concerns methods. @default [] */
  readonly methodNames?: readonly string[];
  /** The topic or visitor name involved, when the rule concerns one. */
  readonly topic?: string;
}

/**
 * A `@Processor` class is unusable; thrown at application startup (`onModuleInit`), so the app
 * never starts half-configured. `rule` tells which rule it breaks (the one way to tell them apart:
 * `code` is `GOKA_PROCESSOR_DEFINITION` for all); the message and the fields name the group, the
 * class and the method.
 *
 * @publicApi
 */
export class ProcessorDefinitionError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_PROCESSOR_DEFINITION';

  readonly rule: ProcessorDefinitionRule;
  readonly group: string;
  /** The first class involved. */
  readonly className: string;
  readonly classNames: readonly string[];
  /** The first method involved, if any. */
  readonly methodName: string | undefined;
  readonly methodNames: readonly string[];
  readonly topic: string | undefined;

  constructor(message: string, details: ProcessorDefinitionErrorDetails, options?: GokaErrorOptions) {
    super(new.target.code, message, options);
    this.rule = details.rule;
    this.group = details.group;
    this.classNames = Object.freeze([...details.classNames]);
    this.className = details.classNames[0] ?? '';
    this.methodNames = Object.freeze([...(details.methodNames ?? [])]);
    this.methodName = this.methodNames[0];
    this.topic = details.topic;
  }
}
