import { describe, expect, it } from 'vitest';
import { monitorAsset, renderMonitorPage } from './index.js';

describe('monitor pages', () => {
  it('render a shell that loads the bundled assets under the mount path and names its page', () => {
    const html = renderMonitorPage({ kind: 'processor', basePath: '/ops/goka', title: 'Clicks', name: 'counter' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/ops/goka/assets/monitor.css">');
    expect(html).toContain('<script defer src="/ops/goka/assets/monitor.js"></script>');
    expect(html).toContain('<body data-kind="processor" data-name="counter" data-base="/ops/goka">');
    expect(html).toContain('<title>Processor counter · Clicks</title>');
    expect(html).toContain('<a href="/ops/goka/query" data-testid="nav-query">Query</a>');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('escape every interpolated value', () => {
    const html = renderMonitorPage({ kind: 'view', basePath: '/x"><script>', title: '<b>T</b>', name: `a'"<img src=x onerror=alert(1)>&` });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('data-name="a&#39;&quot;&lt;img src=x onerror=alert(1)&gt;&amp;"');
    expect(html).toContain('&lt;b&gt;T&lt;/b&gt;');
  });

  it('normalize the mount path (no trailing slash, a leading one; empty at the root)', () => {
    expect(renderMonitorPage({ kind: 'index', basePath: 'goka/', title: 'T' })).toContain('data-base="/goka"');
    const root = renderMonitorPage({ kind: 'index', basePath: '/', title: 'T' });
    expect(root).toContain('data-base=""');
    expect(root).toContain('href="/assets/monitor.css"');
  });

  it('serve a script that parses and a style sheet, small and without CDN references', () => {
    const script = monitorAsset('monitor.js');
    const style = monitorAsset('monitor.css');
    expect(script?.contentType).toBe('text/javascript; charset=utf-8');
    expect(style?.contentType).toBe('text/css; charset=utf-8');
    expect(() => new Function(script?.body ?? '')).not.toThrow();
    const size = (script?.body.length ?? 0) + (style?.body.length ?? 0);
    expect(size).toBeLessThan(40 * 1024);
    expect(`${script?.body}${style?.body}`).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(script?.body).not.toContain('innerHTML');
    expect(monitorAsset('../monitor.js')).toBeUndefined();
    expect(monitorAsset('constructor')).toBeUndefined();
  });
});
