export { monitorAsset, monitorAssetNames } from './monitor-assets.js';
export { renderMonitorPage } from './monitor-page.js';
export type { MonitorAsset, MonitorPageKind, MonitorPageRequest } from './monitor-page.interface.js';
