/**
 * The monitor pages' style sheet, served as `{base}/assets/monitor.css`: light theme, system fonts
 * (no web fonts), one color per partition state (`.st-*`) shared by the grid, bars and legends.
 */
export const MONITOR_STYLE = `
:root {
  --bg: #f6f7f9; --card: #fff; --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb;
  --good: #16a34a; --warn: #d97706; --bad: #dc2626;
  --recovering: #f59e0b; --running: #16a34a; --standby: #3b82f6; --stalled: #ea580c; --failed: #dc2626; --idle: #9ca3af;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #111827; color: #e5e7eb; }
.top .brand { color: #fff; font-weight: 600; font-size: 16px; }
.top nav { display: flex; gap: 4px; }
.top nav a { color: #cbd5e1; padding: 4px 10px; border-radius: 6px; }
.top nav a[aria-current="page"], .top nav a:hover { background: #374151; color: #fff; text-decoration: none; }
.status { margin-left: auto; font-size: 12px; color: #9ca3af; }
.status.bad { color: #fca5a5; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 12px; font-weight: 600; }
h2 { font-size: 15px; margin: 0 0 10px; font-weight: 600; }
h2.group-title { margin: 20px 0 8px; }
h3 { font-size: 15px; margin: 0; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 12px 0; }
.items { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); }
.items.wide { grid-template-columns: 1fr; }
.items .card { margin: 0; }
.item-head, .subhead { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 8px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #f3f4f6; color: #374151; }
.badge.good { background: #dcfce7; color: #166534; }
.badge.warn { background: #fef3c7; color: #92400e; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.tiles { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); margin: 12px 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; padding: 10px 14px; }
.tile.good { border-left-color: var(--good); } .tile.warn { border-left-color: var(--warn); } .tile.bad { border-left-color: var(--bad); }
.tile-label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.tile-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 6px; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-svg { width: 100%; height: auto; display: block; }
.chart-svg .grid { stroke: #eef0f3; } .chart-svg .axis { stroke: #cbd5e1; }
.chart-svg .tick { font-size: 10px; fill: var(--muted); }
.chart-svg .empty { font-size: 13px; fill: var(--muted); }
.chart-svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.chart-svg .series.thin { stroke-width: 1; opacity: 0.8; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin: 4px 0; }
.legend-item b { color: var(--text); font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.st-recovering { background: var(--recovering); } .st-running { background: var(--running); } .st-standby { background: var(--standby); }
.st-stalled { background: var(--stalled); } .st-failed { background: var(--failed); }
.st-idle, .st-connecting, .st-stopping { background: var(--idle); }
.badge[class*="st-"] { color: #fff; }
.state-bar { display: flex; height: 22px; border-radius: 6px; overflow: hidden; background: #f3f4f6; margin: 6px 0 10px; font-size: 11px; color: #fff; font-weight: 600; }
.state-bar span { display: flex; align-items: center; justify-content: center; white-space: nowrap; overflow: hidden; padding: 0 4px; min-width: 4px; }
.state-bar .state-bar-empty { color: var(--muted); font-weight: 400; }
.partition-grid { display: grid; gap: 6px; grid-template-columns: repeat(auto-fill, minmax(78px, 1fr)); margin-top: 8px; }
.cell { border-radius: 6px; padding: 6px 8px; color: #fff; line-height: 1.2; }
.cell b { display: block; font-size: 16px; }
.cell span { font-size: 11px; opacity: .95; }
.recoveries { display: grid; gap: 8px; }
.recovery-row { display: flex; align-items: center; gap: 12px; }
.recovery-label { width: 90px; color: var(--muted); }
.progress { flex: 1; display: flex; align-items: center; gap: 10px; }
.progress-track { flex: 0 0 45%; height: 10px; background: #f1f5f9; border-radius: 5px; overflow: hidden; }
.progress-fill { height: 100%; background: var(--recovering); }
.progress.done .progress-fill { background: var(--running); }
.progress-text { font-size: 12px; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
.input-line { white-space: nowrap; }
.graph { display: flex; align-items: center; gap: 10px; overflow-x: auto; }
.graph-col { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.graph-node { border: 2px solid var(--accent); border-radius: 8px; padding: 8px 10px; background: #eff6ff; }
.graph-node b { display: block; margin-bottom: 4px; }
.arrow { color: var(--muted); font-size: 18px; }
.edge small { color: var(--muted); }
.kind { display: inline-block; min-width: 48px; text-align: center; font-size: 11px; font-weight: 600; border-radius: 4px; padding: 0 5px; color: #fff; background: #64748b; }
.k-input { background: #2563eb; } .k-join { background: #0891b2; } .k-lookup { background: #7c3aed; }
.k-loop { background: #d97706; } .k-table { background: #059669; } .k-output { background: #db2777; }
.message { border-radius: 8px; padding: 10px 14px; margin: 12px 0; border: 1px solid; }
.message.bad { background: #fef2f2; border-color: #fecaca; color: #991b1b; }
.message.warn { background: #fffbeb; border-color: #fde68a; color: #92400e; }
.bad-text { color: var(--bad); }
form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
label { font-weight: 600; }
input, select { font: inherit; padding: 6px 10px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; min-width: 200px; }
button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
pre.value { background: #0f172a; color: #e2e8f0; padding: 12px 14px; border-radius: 8px; overflow: auto; max-height: 480px; }
.action-fields { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; }
.action-fields dt { color: var(--muted); }
.action-fields dd { margin: 0; word-break: break-word; }
@media (max-width: 700px) { .items, .charts { grid-template-columns: 1fr; } main { padding: 12px; } }
`;
