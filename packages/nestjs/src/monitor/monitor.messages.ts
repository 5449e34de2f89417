/**
 * Every message the monitor answers with or logs. Each names the source, key, action or option involved.
 */

/** ` (known: 'a', 'b')`, or ` (there is none)`. */
const known = (names: readonly string[]): string =>
  names.length === 0 ? ' (there is none)' : ` (known: ${names.map((name) => `'${name}'`).join(', ')})`;

export const sourceNotFound = (source: string, names: readonly string[] = []): string => `Source '${source}' not found${known(names)}`;

export const keyNotFound = (key: string, source: string): string => `Key '${key}' not found in '${source}'`;

export const keyMissing = (source: string): string => `Give the key to look up in '${source}' as ?key=...`;

export const keyNotSingle = (source: string, key: unknown): string =>
  Array.isArray(key)
    ? `Give one key to look up in '${source}', not ${key.length} (?key= appears ${key.length} times)`
    : `Give the key to look up in '${source}' as plain text (?key=...), not a structured parameter`;

export const valueUnreadable = (source: string, key: string, codec: string, detail: string): string =>
  `The value of key '${key}' in '${source}' cannot be read (codec '${codec}'): ${detail}`;

export const sourceUnavailable = (source: string, detail: string): string => `'${source}' cannot be queried here: ${detail}`;

export const processorNotFound = (group: string, names: readonly string[] = []): string => `Processor '${group}' not found${known(names)}`;

export const viewNotFound = (table: string, names: readonly string[] = []): string => `View '${table}' not found${known(names)}`;

export const actionNotFound = (name: string, names: readonly string[] = []): string => `Action '${name}' not found${known(names)}`;

export const actionRunning = (name: string): string => `Action '${name}' is already running`;

export const actionIdle = (name: string): string => `Action '${name}' is not running`;

export const actionStopped = (name: string): string => `Action '${name}' was stopped`;

export const actionValueNotText = (name: string, value: unknown): string => {
  const type = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const json = JSON.stringify(JSON.stringify(value) ?? String(value));
  return `The value of action '${name}' must be text (a JSON string), got ${type}; send structured input as JSON text: {"value": ${json}}`;
};

export const duplicateAction = (name: string): string =>
  `GokaMonitorModule has two actions named '${name}' (visitor actions are named 'group.visitor'); give each a unique name`;

export const visitorDescription = (group: string, visitor: string, className: string): string =>
  `visitAll('${visitor}') over the group table of '${group}' (${className}); the value is the visitor's meta ` +
  '(JSON if it parses, else the text); stopping cancels the visit between keys';

export const invalidMonitorOption = (option: string, requirement: string, value: unknown): string =>
  `GokaMonitorModule option "${option}" must be ${requirement}, got ${JSON.stringify(value) ?? String(value)}`;

export const metricsUnavailable = (detail: string): string =>
  `GokaMonitorModule metrics need the package prom-client (install it, or set metrics: { enabled: false }): ${detail}`;

export const metricRegistered = (name: string): string =>
  `GokaMonitorModule cannot register the metric "${name}": the registry already has one of that name ` +
  '(two monitors on one registry need different metrics.prefix values or registries), or a previous application ' +
  'with a monitor on this registry was not closed (call app.close(), also when a test or the startup failed)';

export const pageNotFound = (file: string): string => `Asset '${file}' not found`;

export const browserNotBuilt = (dir: string): string =>
  `The monitor's browser modules are not in ${dir}: build the package (pnpm build compiles tsconfig.browser.json)`;

export const sampleFailed = (what: string, detail: string): string => `sampling ${what} failed: ${detail}`;

export const metricsDisabled = (): string => 'Metrics are disabled (GokaMonitorModule option metrics: { enabled: false })';

export const jsonRequired = (route: string, contentType: string | undefined): string =>
  `POST ${route} needs Content-Type: application/json (got ${contentType === undefined || contentType === '' ? 'none' : contentType}); ` +
  'form posts are refused so that another site cannot start or stop actions (CSRF)';
