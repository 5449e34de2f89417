import { SCRIPT_CHARTS } from './script-charts.js';
import { SCRIPT_CORE } from './script-core.js';
import { SCRIPT_FORM_PAGES } from './script-form-pages.js';
import { SCRIPT_STATUS_PAGES } from './script-status-pages.js';
import { SCRIPT_WIDGETS } from './script-widgets.js';

const SCRIPT_MAIN = String.raw`
function start() {
  const name = encodeName(PAGE.name);
  switch (PAGE.kind) {
    case 'processor':
      poll(() => api('processors/' + name), drawProcessor);
      break;
    case 'view':
      poll(() => api('views/' + name), drawView);
      break;
    case 'query':
      drawQuery();
      break;
    case 'actions': {
      let intervalMs;
      poll(async () => {
        if (!intervalMs) intervalMs = (await api('overview')).intervalMs;
        return { intervalMs, list: await api('actions') };
      }, (data) => drawActions(data.list));
      break;
    }
    default:
      poll(() => api('overview'), drawIndex);
  }
}

start();
`;

/**
 * The monitor pages' browser script, served as `{base}/assets/monitor.js`: plain modern JS in one
 * function scope (no globals), built from the parts in this folder, indentation stripped. It reads the page's kind, name
 * and base path from `<body data-*>`, fetches `{base}/api/...` (the documents of
 * `monitor-api.interface.ts`) and renders them with DOM calls, refreshing at the server's sampling
 * interval.
 */
export const MONITOR_SCRIPT = [
  '(() => {',
  "'use strict';",
  SCRIPT_CORE,
  SCRIPT_CHARTS,
  SCRIPT_WIDGETS,
  SCRIPT_STATUS_PAGES,
  SCRIPT_FORM_PAGES,
  SCRIPT_MAIN,
  '})();',
  '',
]
  .join('\n')
  .replace(/^[ \t]+/gm, ''); // indentation only: the parts hold no multi-line strings
