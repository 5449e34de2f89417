import { readdirSync, readFileSync } from 'node:fs';
import { browserNotBuilt } from '../monitor.messages.js';
import type { MonitorAsset } from './monitor-page.interface.js';
import { MONITOR_STYLE } from './monitor-style.js';

/**
 * The browser modules, compiled by `tsconfig.browser.json` from `./browser/` into
 * `dist/monitor/ui/browser/`. Found from the package root, so the same path works from `src/`
 * (tests) and from `dist/` (the published package).
 */
const BROWSER_DIR = new URL('../../../dist/monitor/ui/browser/', import.meta.url);

const SCRIPT = 'text/javascript; charset=utf-8';

let assets: ReadonlyMap<string, MonitorAsset> | undefined;

/**
 * Leading indentation is dropped (tsc indents by 4 spaces, a tenth of the size budget); safe
 * because the browser code holds no multi-line string (a test checks the compiled files).
 */
function loadAssets(): ReadonlyMap<string, MonitorAsset> {
  const files = new Map<string, MonitorAsset>([['monitor.css', { contentType: 'text/css; charset=utf-8', body: MONITOR_STYLE }]]);
  let names: string[];
  try {
    names = readdirSync(BROWSER_DIR);
  } catch (error) {
    throw new Error(browserNotBuilt(BROWSER_DIR.pathname), { cause: error });
  }
  for (const file of names.filter((name) => name.endsWith('.js')).sort()) {
    files.set(file, { contentType: SCRIPT, body: readFileSync(new URL(file, BROWSER_DIR), 'utf8').replace(/^[ \t]+/gm, '') });
  }
  return files;
}

/**
 * The monitor's bundled files (served under `{base}/assets/`; no CDN): `monitor.css`, and
 * `monitor.js` (the pages' ES module) with the modules it imports. Read once, on first use.
 *
 * @param file - a file name such as `monitor.js` or `monitor.css`
 * @returns the content type and body, or `undefined` for any other name
 */
export function monitorAsset(file: string): MonitorAsset | undefined {
  assets ??= loadAssets();
  return assets.get(file);
}

/** The names of every bundled file, `monitor.js` and `monitor.css` among them. */
export function monitorAssetNames(): readonly string[] {
  assets ??= loadAssets();
  return [...assets.keys()];
}
