import { ProcessorDefinitionError } from './processor-definition.error.js';
import type { ProcessorDefinitionErrorDetails } from './processor-definition.error.js';

/**
 * A processor class is decorated with `@Persist` more than once. Rule `duplicate-persist`.
 *
 * @publicApi
 */
export class DuplicatePersistError extends ProcessorDefinitionError {
  constructor(message: string, details: Omit<ProcessorDefinitionErrorDetails, 'rule'>) {
    super(message, { ...details, rule: 'duplicate-persist' });
  }
}
