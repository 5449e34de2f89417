import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { codecs } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import { getEmitterToken, GokaModule, Input, Persist, Processor, Visitor } from '@goka/nestjs';
import { GokaMonitorModule } from '@goka/nestjs/monitor';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import type { HeadlessChromium } from '../support/browser.js';
import { startMonitorFixtureServer } from '../support/browser-fixture-server.js';
import type { MonitorFixtureServer } from '../support/browser-fixture-server.js';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

/**
 * The monitor's pages in a real headless Chromium (Debian's, driven by playwright-core): first on
 * fixture JSON (fast, every state and message), then on a Nest app with GokaMonitorModule, a
 * processor and a view on the real broker. The second test takes a screenshot of the processor
 * page into .ci/out/monitor.png, and into docs/monitor.png (README's picture) with
 * `GOKA_UPDATE_SCREENSHOT=1`, so that ordinary runs leave the work tree clean.
 */
const SCREENSHOT = fileURLToPath(
  new URL(process.env['GOKA_UPDATE_SCREENSHOT'] === '1' ? '../../docs/monitor.png' : '../../.ci/out/monitor.png', import.meta.url),
);
const WAIT = { timeout: 60_000 };

/** `expect.poll` with room for a page load and a fetch on a busy machine. */
function soon<T>(probe: () => Promise<T>) {
  return expect.poll(probe, { timeout: 15_000 });
}

let chromium: HeadlessChromium;

beforeAll(async () => {
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
});

/** The number of points of the `d` attribute of an SVG path (its M and L commands). */
async function pathPoints(page: Page, testid: string): Promise<number> {
  const d = (await page.getByTestId(testid).getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}

describe('monitor pages on fixture JSON (headless Chromium)', () => {
  let fixture: MonitorFixtureServer;
  let page: Page;

  beforeAll(async () => {
    fixture = await startMonitorFixtureServer();
    page = await chromium.newPage();
  });

  afterAll(async () => {
    await page?.close();
    await fixture?.close();
  });

  it('index lists the processor with its group graph and the view; links lead to their pages', async () => {
    await page.goto(`${fixture.url}/`);
    await soon(() => page.getByTestId('processor-clicks').isVisible()).toBe(true);
    const graph = page.getByTestId('processor-graph-clicks');
    expect(await graph.getByTestId('edge-input-user-clicks').innerText()).toMatch(/input\s+user-clicks\s+string/);
    expect(await graph.getByTestId('edge-table-clicks-table').innerText()).toMatch(/table\s+clicks-table\s+json/);
    expect(await graph.getByTestId('edge-output-click-alerts').isVisible()).toBe(true);
    expect(await page.getByTestId('processor-states-clicks').innerText()).toMatch(/3 running[\s\S]*1 standby/);
    expect(await page.getByTestId('view-clicks-table').isVisible()).toBe(true);
    expect(await page.getByTestId('metrics-link').getAttribute('href')).toBe('/goka/metrics');
    expect(await page.getByTestId('overview-interval').innerText()).toMatch(/300 ms/);
    await page.getByTestId('view-link-clicks-table').click();
    await page.waitForURL(`${fixture.url}/views/clicks-table`);
    await soon(() => page.getByTestId('partition-3').getAttribute('data-state')).toBe('running');
    expect(await pathPoints(page, 'chart-rates-table')).toBeGreaterThanOrEqual(2);
  });

  it('processor page: a recovering partition reaches running, progress bar, charts grow', async () => {
    await page.goto(`${fixture.url}/processors/clicks`);
    // The fixture reports partition 3 recovering for its first detail requests.
    await soon(() => page.getByTestId('partition-3').getAttribute('data-state')).toBe('recovering');
    expect(await page.getByTestId('partition-recovery-3').innerText()).toMatch(/60\.0% · 1,200 \/ 2,000 · 900\/s · ETA 1s/);
    expect(await page.getByTestId('partition-3').innerText()).toMatch(/3\s+recovering 60%/);
    expect(await page.getByTestId('partition-2').getAttribute('data-state')).toBe('standby');
    await expect.poll(() => page.getByTestId('partition-3').getAttribute('data-state'), WAIT).toBe('running');
    await expect.poll(() => pathPoints(page, 'chart-rates-input'), WAIT).toBeGreaterThanOrEqual(3);
    expect(await pathPoints(page, 'chart-rates-output')).toBeGreaterThanOrEqual(3);
    expect(await pathPoints(page, 'chart-lag-lag')).toBeGreaterThanOrEqual(3);
    // One line per partition under the total.
    for (const partition of [0, 1, 3]) expect(await pathPoints(page, `chart-lag-p${partition}`)).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('partition-recovery-none').innerText()).toContain('All 4 partition tables recovered');
    expect(await page.getByTestId('tile-commit').innerText()).toContain('13 ms');
    expect(await page.getByTestId('tile-transactions').innerText()).toMatch(/exactly-once: committed · aborted\s+12 · 1/i);
    // Active partitions' table writes only (3 × 29.5/s); the standby's apply rate shows apart.
    expect(await page.getByTestId('tile-table-rate').innerText()).toContain('89/s'); // 88.5, not 93.5 with the standby's 5
    expect(await page.getByTestId('tile-standby-rate').innerText()).toContain('5/s');
    // Offsets and high-water marks exact, grouped (not "123.5k").
    expect(await page.getByTestId('partition-row-0').innerText()).toContain('@123,456 / 123,466 · lag 10');
    expect(await page.getByTestId('outputs-click-alerts').locator('td').allInnerTexts()).toEqual(['click-alerts', '900', '43.9 KiB', '60/s', '2.9 KiB/s']);
    expect(await page.getByTestId('graph').getByTestId('edge-lookup-users-table').isVisible()).toBe(true);
    expect(await page.getByTestId('state-legend').innerText()).toMatch(/recovering[\s\S]*running[\s\S]*standby[\s\S]*stalled/);
  });

  it('an unknown processor gets a clear message', async () => {
    await page.goto(`${fixture.url}/processors/nope`);
    await soon(() => page.getByTestId('not-found').textContent()).toBe("Processor 'nope' not found");
  });

  it('query page: a value pretty-printed, a missing key and an unknown table explained', async () => {
    await page.goto(`${fixture.url}/query`);
    await page.getByTestId('query-source').selectOption('clicks');
    await page.getByTestId('query-key').fill('alice');
    await page.getByTestId('query-submit').click();
    await soon(() => page.getByTestId('query-result').textContent()).toBe(JSON.stringify({ clicks: 42, lastSeen: '2026-01-01T12:00:00Z', tags: ['a', 'b'] }, null, 2));
    expect(page.url()).toBe(`${fixture.url}/query?source=clicks&key=alice`);

    await page.getByTestId('query-key').fill('zoe');
    await page.getByTestId('query-submit').click();
    await soon(() => page.getByTestId('query-message').textContent()).toBe("Key 'zoe' not found in 'clicks'");

    await page.getByTestId('query-key').fill('undecodable');
    await page.getByTestId('query-submit').click();
    await soon(() => page.getByTestId('query-message').textContent()).toBe(
      "The value of key 'undecodable' in 'clicks' cannot be read (codec 'json'): Unexpected token",
    );

    await page.getByTestId('query-source').selectOption('ghost');
    await page.getByTestId('query-submit').click();
    await soon(() => page.getByTestId('query-message').textContent()).toBe("Source 'ghost' not found");

    // A shared link runs its query.
    await page.goto(`${fixture.url}/query?source=clicks-table&key=bob`);
    await soon(() => page.getByTestId('query-result').textContent()).toBe('7');
  });

  it('actions page: start with a value, state and times; stop shows the last error', async () => {
    await page.goto(`${fixture.url}/actions`);
    const action = page.getByTestId('action-clicks.reset');
    await soon(() => action.getByTestId('action-clicks.reset-badge').textContent()).toBe('idle');
    expect(await action.getByTestId('action-clicks.reset-stop').isDisabled()).toBe(true);
    await action.getByTestId('action-clicks.reset-value').fill('5');
    await action.getByTestId('action-clicks.reset-start').click();
    await soon(() => action.getByTestId('action-clicks.reset-badge').textContent()).toBe('running');
    expect(await action.getByTestId('action-clicks.reset-last-value').textContent()).toBe('5');
    expect(await action.getByTestId('action-clicks.reset-runs').textContent()).toBe('1');
    // Polling refreshes the card in place: what the user typed stays.
    await action.getByTestId('action-clicks.reset-value').fill('typed');
    await soon(() => action.getByTestId('action-clicks.reset-finished').textContent()).toBe('running…');
    await action.getByTestId('action-clicks.reset-stop').click();
    await soon(() => action.getByTestId('action-clicks.reset-badge').textContent()).toBe('failed');
    expect(await action.getByTestId('action-clicks.reset-error').textContent()).toBe('stopped by the user');
    expect(await action.getByTestId('action-clicks.reset-value').inputValue()).toBe('typed');
  });

  it('ran without script errors', () => {
    expect(chromium.pageErrors).toEqual([]);
  });
});

describe('monitor pages on a real broker (headless Chromium)', () => {
  const brokers = systemBrokers();
  let app: INestApplication | undefined;
  let stopTraffic: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stopTraffic?.();
    await app?.close();
    app = undefined;
  });

  it('index → processor page (partitions running, rate chart draws; screenshot) → view page → query a key → actions', async () => {
    const input = uniqueName('monitor-ui-clicks');
    const group = uniqueName('monitor-ui-counter');
    const table = `${group}-table`;
    const admin = kafkaClient(brokers, 'monitor-browser-admin').admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: input, numPartitions: 6 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }

    @Processor(group)
    @Persist(codecs.json<{ clicks: number; last: string }>())
    class ClickCounter {
      @Input(input, codecs.string)
      count(page: string, ctx: ProcessContext<{ clicks: number; last: string }>): void {
        ctx.setValue({ clicks: (ctx.value()?.clicks ?? 0) + 1, last: page });
      }

      @Visitor('reset')
      reset(meta: unknown, ctx: ProcessContext<{ clicks: number; last: string }>): void {
        ctx.setValue({ clicks: typeof meta === 'number' ? meta : 0, last: 'reset' });
      }
    }

    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ brokers, logger: false, processorDefaults: { initialOffset: 'oldest' }, waitForRecovery: { timeoutMs: 90_000 } }),
        GokaModule.registerView({ group, codec: codecs.json<{ clicks: number; last: string }>() }),
        GokaModule.registerEmitter({ topic: input, codec: codecs.string }),
        GokaMonitorModule.forRoot({ title: 'Click counter', intervalMs: 500, metrics: { enabled: false } }),
      ],
      providers: [ClickCounter],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableShutdownHooks();
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const base = `${url}/goka`;

    // Steady traffic while the pages are open, so the rate charts have something to draw.
    const emitter = app.get<Emitter<string>>(getEmitterToken(input));
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
    const pages = ['/home', '/cart', '/checkout'];
    await Promise.all(users.map((user) => emitter.emit(user, '/home')));
    const controller = new AbortController();
    let sent = 0;
    const traffic = (async () => {
      while (!controller.signal.aborted) {
        await Promise.all(users.map((user, i) => emitter.emit(user, pages[(sent + i) % pages.length] ?? '/home')));
        sent += 1;
        await delay(5); // paces the load (a few hundred clicks per second), not a wait for a condition
      }
    })();
    stopTraffic = async () => {
      controller.abort();
      await traffic;
      stopTraffic = undefined;
    };

    const page = await chromium.newPage();
    try {
      await page.goto(`${base}/`);
      await soon(() => page.getByTestId('heading').textContent()).toBe('Processors and views');
      const card = page.getByTestId(`processor-${group}`);
      await expect.poll(() => card.isVisible(), WAIT).toBe(true);
      expect(await card.getByTestId(`edge-input-${input}`).innerText()).toMatch(/input\s+\S+\s+string/);
      expect(await card.getByTestId(`edge-table-${table}`).isVisible()).toBe(true);
      expect(await page.getByTestId(`view-${table}`).isVisible()).toBe(true);

      await card.getByTestId(`processor-link-${group}`).click();
      await page.waitForURL(`${base}/processors/${group}`);
      for (let partition = 0; partition < 6; partition += 1) {
        await expect.poll(() => page.getByTestId(`partition-${partition}`).getAttribute('data-state'), WAIT).toBe('running');
      }
      await expect.poll(() => pathPoints(page, 'chart-rates-input'), WAIT).toBeGreaterThanOrEqual(4);
      await expect.poll(() => pathPoints(page, 'chart-rates-table'), WAIT).toBeGreaterThanOrEqual(4);
      expect(await page.getByTestId('tile-input-rate').innerText()).toMatch(/\d.*\/s/);
      // A few more samples make a readable picture for the README.
      await expect.poll(() => pathPoints(page, 'chart-rates-input'), WAIT).toBeGreaterThanOrEqual(8);
      await page.screenshot({ path: SCREENSHOT });

      await page.goto(`${base}/views/${table}`);
      await expect.poll(() => page.getByTestId('partition-5').getAttribute('data-state'), WAIT).toBe('running');
      await expect.poll(() => pathPoints(page, 'chart-rates-table'), WAIT).toBeGreaterThanOrEqual(2);

      await page.getByTestId('nav-query').click();
      await page.waitForURL(`${base}/query`);
      await page.getByTestId('query-source').selectOption(group);
      await page.getByTestId('query-key').fill('alice');
      await page.getByTestId('query-submit').click();
      await soon(() => page.getByTestId('query-result').textContent()).toMatch(/^\{\n {2}"clicks": \d+,\n {2}"last": "\/\w+"\n\}$/);
      await page.getByTestId('query-source').selectOption(table);
      await page.getByTestId('query-key').fill('mallory');
      await page.getByTestId('query-submit').click();
      await soon(() => page.getByTestId('query-message').textContent()).toBe(`Key 'mallory' not found in '${table}'`);

      await stopTraffic();
      await page.getByTestId('nav-actions').click();
      await page.waitForURL(`${base}/actions`);
      const action = page.getByTestId(`action-${group}.reset`);
      await expect.poll(() => action.getByTestId(`action-${group}.reset-badge`).textContent(), WAIT).toBe('idle');
      await action.getByTestId(`action-${group}.reset-value`).fill('0');
      await action.getByTestId(`action-${group}.reset-start`).click();
      await expect.poll(() => action.getByTestId(`action-${group}.reset-badge`).textContent(), WAIT).toBe('finished');
      expect(await action.getByTestId(`action-${group}.reset-runs`).textContent()).toBe('1');
      expect(await action.getByTestId(`action-${group}.reset-error`).textContent()).toBe('none');
      expect(chromium.pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
