/** The monitor pages' style sheet (served as `{base}/assets/monitor.css`). */
export const MONITOR_STYLE = 'body { font-family: system-ui, sans-serif; }\n';
