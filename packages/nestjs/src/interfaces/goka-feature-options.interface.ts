import type { Type } from '@nestjs/common';

/**
 * Options of `GokaModule.forFeature`: the processors whose `Processor` handles the module provides
 * (`@InjectProcessor(group)`).
 *
 * @publicApi
 */
export interface GokaFeatureOptions {
  /**
   * `@Processor` classes: each becomes a provider of the feature module (list it here instead of in
   * `providers`) and its group's `Processor` is provided under `getProcessorToken(group)`.
   * @default []
   */
  readonly processors?: readonly Type[];
  /**
   * Groups whose `@Processor` class is declared elsewhere in the application: only their
   * `Processor` handles are provided here.
   * @default []
   */
  readonly groups?: readonly string[];
}
