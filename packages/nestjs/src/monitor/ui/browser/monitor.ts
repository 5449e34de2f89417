import type { MonitorActionStatus, MonitorOverview, MonitorProcessorDetail, MonitorViewDetail } from '../../interfaces/monitor-api.interface.js';
import { drawActions } from './actions-page.js';
import { api, encodeName, PAGE, poll } from './page.js';
import { drawQuery } from './query-page.js';
import { drawIndex, drawProcessor, drawView } from './status-pages.js';

/**
 * The monitor pages' script, served as `{base}/assets/monitor.js` (an ES module, with the modules it
 * imports beside it): reads the page's kind, name and base path from `<body data-*>`, fetches
 * `{base}/api/...` (the documents of `monitor-api.interface.ts`) and renders them with DOM calls,
 * refreshing at the server's sampling interval.
 */
function start(): void {
  const name = encodeName(PAGE.name);
  switch (PAGE.kind) {
    case 'processor':
      poll(() => api<MonitorProcessorDetail>('processors/' + name), drawProcessor);
      break;
    case 'view':
      poll(() => api<MonitorViewDetail>('views/' + name), drawView);
      break;
    case 'query':
      void drawQuery();
      break;
    case 'actions': {
      let intervalMs: number | undefined;
      poll(
        async () => {
          intervalMs ??= (await api<MonitorOverview>('overview')).intervalMs;
          return { intervalMs, list: await api<MonitorActionStatus[]>('actions') };
        },
        (data) => drawActions(data.list),
      );
      break;
    }
    default:
      poll(() => api<MonitorOverview>('overview'), drawIndex);
  }
}

start();
