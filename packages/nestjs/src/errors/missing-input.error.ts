import { ProcessorDefinitionError } from './processor-definition.error.js';
import type { ProcessorDefinitionErrorDetails } from './processor-definition.error.js';

/**
 * A processor class has no `@Input` method. Rule `missing-input`.
 *
 * @publicApi
 */
export class MissingInputError extends ProcessorDefinitionError {
  constructor(message: string, details: Omit<ProcessorDefinitionErrorDetails, 'rule'>) {
    super(message, { ...details, rule: 'missing-input' });
  }
}
