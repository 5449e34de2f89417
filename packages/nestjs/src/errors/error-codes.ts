/** The codes of the errors @goka/nestjs throws (README errors table; a test keeps the two in step). */
export const NEST_ERROR_CODES = [
  'GOKA_MODULE_OPTIONS',
  'GOKA_PROCESSOR_DEFINITION',
  'GOKA_COMPONENT_NOT_FOUND',
  'GOKA_NOT_READY',
  'GOKA_HEALTH_CHECK',
  'GOKA_TRANSPORT_NOT_CONNECTED',
  'GOKA_TRANSPORT_UNSUPPORTED',
  'GOKA_MONITOR_BAD_REQUEST',
  'GOKA_MONITOR_CONFLICT',
  'GOKA_MONITOR_NOT_FOUND',
  'GOKA_MONITOR_QUERY',
] as const;

/**
 * The code of a {@link GokaModuleError}; also part of `@goka/core`'s `GokaErrorCode` wherever
 * @goka/nestjs is loaded.
 *
 * @publicApi
 */
export type GokaModuleErrorCode = (typeof NEST_ERROR_CODES)[number];

declare module '@goka/core' {
  interface GokaErrorCodes extends Record<GokaModuleErrorCode, true> {}
}
