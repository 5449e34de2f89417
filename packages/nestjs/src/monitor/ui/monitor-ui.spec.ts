import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { monitorAsset, monitorAssetNames, renderMonitorPage } from './index.js';

/** The syntax errors of an ES module (TypeScript's parser, as the browser's would find them). */
function syntaxErrors(file: string, body: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(body, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 } });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('monitor pages', () => {
  it('render a shell that loads the bundled assets under the mount path and names its page', () => {
    const html = renderMonitorPage({ kind: 'processor', basePath: '/ops/goka', title: 'Clicks', name: 'counter' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<link rel="stylesheet" href="/ops/goka/assets/monitor.css">');
    expect(html).toContain('<script type="module" src="/ops/goka/assets/monitor.js"></script>');
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

  it('serve scripts that parse and a style sheet, small and without CDN references', () => {
    const names = monitorAssetNames();
    const scripts = names.filter((name) => name.endsWith('.js'));
    const style = monitorAsset('monitor.css');
    expect(scripts).toContain('monitor.js');
    expect(style?.contentType).toBe('text/css; charset=utf-8');
    const bodies = names.map((name) => monitorAsset(name)?.body ?? '');
    expect(bodies.reduce((size, body) => size + body.length, 0)).toBeLessThan(40 * 1024);
    for (const name of scripts) {
      const script = monitorAsset(name);
      expect(script?.contentType, name).toBe('text/javascript; charset=utf-8');
      expect(syntaxErrors(name, script?.body ?? ''), name).toEqual([]);
      expect(script?.body, name).not.toContain('innerHTML');
      // Every import is a sibling asset: the module graph is served whole, from here.
      for (const [, spec] of (script?.body ?? '').matchAll(/\bfrom\s*'([^']*)'/g)) expect(scripts, `${name} imports ${spec}`).toContain(spec?.replace(/^\.\//, ''));
      expect(script?.body, name).not.toMatch(/\bimport\s*\(/);
    }
    expect(bodies.join('')).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(monitorAsset('../monitor.js')).toBeUndefined();
    expect(monitorAsset('constructor')).toBeUndefined();
    expect(monitorAsset('monitor.d.ts')).toBeUndefined();
  });

  it('serve the compiled modules unchanged but for indentation (no multi-line string in them)', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const name of monitorAssetNames().filter((file) => file.endsWith('.js'))) {
      const compiled = await readFile(new URL(`../../../dist/monitor/ui/browser/${name}`, import.meta.url), 'utf8');
      expect(compiled, name).not.toContain('`');
      expect(compiled, name).not.toMatch(/\\\r?\n/);
      expect(monitorAsset(name)?.body, name).toBe(compiled.replace(/^[ \t]+/gm, ''));
    }
  });
});
