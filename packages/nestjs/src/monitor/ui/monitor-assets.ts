import type { MonitorAsset } from './monitor-page.interface.js';
import { MONITOR_SCRIPT } from './monitor-script.js';
import { MONITOR_STYLE } from './monitor-style.js';

const ASSETS: ReadonlyMap<string, MonitorAsset> = new Map([
  ['monitor.js', { contentType: 'text/javascript; charset=utf-8', body: MONITOR_SCRIPT }],
  ['monitor.css', { contentType: 'text/css; charset=utf-8', body: MONITOR_STYLE }],
]);

/**
 * The monitor's bundled files (served under `{base}/assets/`; no CDN).
 *
 * @param file - `monitor.js` or `monitor.css`
 * @returns the content type and body, or `undefined` for any other name
 */
export function monitorAsset(file: string): MonitorAsset | undefined {
  return ASSETS.get(file);
}
