/** The monitor pages' browser script (plain JS, served as `{base}/assets/monitor.js`). */
export const MONITOR_SCRIPT = "document.getElementById('app').textContent = 'Loading…';\n";
