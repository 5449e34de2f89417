/** The part of a response the monitor's controllers write (Express' `setHeader` or Fastify's `header`). */
export interface MonitorResponse {
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

/** Sets a header on an Express or Fastify response. */
export function setHeader(response: MonitorResponse, name: string, value: string): void {
  if (typeof response.setHeader === 'function') response.setHeader(name, value);
  else response.header?.(name, value);
}
