import { escapeHtml } from './html-escape.util.js';
import type { MonitorPageKind, MonitorPageRequest } from './monitor-page.interface.js';

const NAV: readonly { readonly kind: MonitorPageKind; readonly label: string; readonly path: string }[] = [
  { kind: 'index', label: 'Overview', path: '/' },
  { kind: 'query', label: 'Query', path: '/query' },
  { kind: 'actions', label: 'Actions', path: '/actions' },
];

function normalizeBase(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function pageHeading(request: MonitorPageRequest): string {
  switch (request.kind) {
    case 'processor':
      return `Processor ${request.name ?? ''}`;
    case 'view':
      return `View ${request.name ?? ''}`;
    case 'query':
      return 'Query a table';
    case 'actions':
      return 'Actions';
    case 'index':
      return 'Processors and views';
  }
}

function navLinks(base: string, kind: MonitorPageKind): string {
  return NAV.map((item) => {
    const current = item.kind === kind ? ' aria-current="page"' : '';
    const href = escapeHtml(`${base}${item.path}`);
    return `<a href="${href}" data-testid="nav-${item.kind}"${current}>${escapeHtml(item.label)}</a>`;
  }).join('');
}

/**
 * Renders one monitor page: a small HTML shell that loads `{base}/assets/monitor.css` and
 * `{base}/assets/monitor.js` (an ES module: deferred, strict); the script reads the page's kind, name and base path from the
 * `data-*` attributes of `<body>`, fetches `{base}/api/...` and renders (no CDN, no inline script).
 *
 * @param request - the page kind, mount path, title and (processor and view pages) the name
 * @returns a complete HTML document; every interpolated value is escaped
 */
export function renderMonitorPage(request: MonitorPageRequest): string {
  const base = normalizeBase(request.basePath);
  const heading = pageHeading(request);
  const name = request.name ?? '';
  const asset = (file: string): string => escapeHtml(`${base}/assets/${file}`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${heading} · ${request.title}`)}</title>`,
    `<link rel="stylesheet" href="${asset('monitor.css')}">`,
    `<script type="module" src="${asset('monitor.js')}"></script>`,
    '</head>',
    `<body data-kind="${escapeHtml(request.kind)}" data-name="${escapeHtml(name)}" data-base="${escapeHtml(base)}">`,
    '<header class="top">',
    `<a class="brand" href="${escapeHtml(`${base}/`)}" data-testid="brand">${escapeHtml(request.title)}</a>`,
    `<nav data-testid="nav">${navLinks(base, request.kind)}</nav>`,
    '<span class="status" data-testid="status" aria-live="polite"></span>',
    '</header>',
    '<main>',
    `<h1 data-testid="heading">${escapeHtml(heading)}</h1>`,
    '<div id="app" data-testid="app"><p class="muted">Loading…</p></div>',
    '<noscript><p>The monitor needs JavaScript; its data is at <code>api/overview</code>.</p></noscript>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
