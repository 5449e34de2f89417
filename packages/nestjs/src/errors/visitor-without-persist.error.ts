import { ProcessorDefinitionError } from './processor-definition.error.js';
import type { ProcessorDefinitionErrorDetails } from './processor-definition.error.js';

/**
 * A processor class has a `@Visitor` method but no `@Persist`. Rule `visitor-without-persist`.
 *
 * @publicApi
 */
export class VisitorWithoutPersistError extends ProcessorDefinitionError {
  constructor(message: string, details: Omit<ProcessorDefinitionErrorDetails, 'rule'>) {
    super(message, { ...details, rule: 'visitor-without-persist' });
  }
}
