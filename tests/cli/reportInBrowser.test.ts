import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestDatabase } from '../support/testDatabase';
import { buildCli } from './support/phc';
import { writeSeededReport } from './support/seededReport';

/**
 * The dashboard page of `phc report --html` as a reader sees it: opened in headless Chromium (Debian's package; CI
 * installs it, see .ci/run), with screenshots of every chart. Where no Chromium is installed the suite says so in
 * one line and is skipped; the page's content is checked without a browser by tests/cli/report.test.ts.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
const CHARTS = ['daily-sales', 'monthly-sales', 'top-products', 'categories', 'countries', 'payment-methods', 'cohort-retention', 'stock-outs'];
const WIDTH = 1280;

/** The little of the DOM the checks touch (the project compiles without the DOM library). */
interface Rect { left: number; top: number; right: number; bottom: number; width: number; height: number }
interface Mark { getBoundingClientRect(): Rect; style: { visibility: string } }
interface Container { querySelectorAll(selector: string): ArrayLike<Mark> }
const setMarksVisibility = (node: unknown, visibility: string): void => {
  const marks = (node as Container).querySelectorAll('.mark');
  for (let i = 0; i < marks.length; i += 1) marks[i]!.style.visibility = visibility;
};

if (!CHROMIUM) process.stderr.write('tests/cli/reportInBrowser.test.ts: no Chromium found (set CHROMIUM_PATH or install Debian\'s chromium): skipped\n');

(CHROMIUM ? describe : describe.skip)('the dashboard page in a browser', () => {
  let db: TestDatabase | undefined;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    await buildCli();
    const report = await writeSeededReport();
    db = report.db;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const url = pathToFileURL(report.file).href;
    // The page must fetch nothing: every request but the page itself is refused and recorded.
    await page.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      problems.push(`request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(url, { waitUntil: 'load' });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await db?.drop();
  });

  it('loads without errors or requests, and fits the window without scrolling sideways', async () => {
    expect(problems).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(WIDTH);
    await expect(page.getByText('Net sales, last 30 days').isVisible()).resolves.toBe(true);
  });

  it.each(CHARTS)('draws the %s chart: visible, every mark inside it, and the marks change what the screenshot shows', async (id) => {
    const chart = page.locator(`[id="${id}"]`);
    const box = await chart.boundingBox();
    // Bar charts of a few rows are short; every chart spans the column.
    expect(box && box.width > 200 && box.height > 20).toBe(true);
    const marks = await chart.locator('.mark').evaluateAll((nodes) =>
      (nodes as unknown as Mark[]).map((node) => {
        const r = node.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, area: r.width * r.height };
      }),
    );
    expect(marks.length).toBeGreaterThan(0);
    const inside = (m: (typeof marks)[number]): boolean =>
      !!box && m.left >= box.x - 1 && m.top >= box.y - 1 && m.right <= box.x + box.width + 1 && m.bottom <= box.y + box.height + 1;
    expect(marks.filter((m) => !inside(m))).toEqual([]);
    // Lines may be thin; every chart still has marks with an area.
    expect(marks.some((m) => m.area > 0)).toBe(true);

    const shown = await chart.screenshot();
    await chart.evaluate(setMarksVisibility, 'hidden');
    const hidden = await chart.screenshot();
    await chart.evaluate(setMarksVisibility, '');
    expect(shown.length).toBeGreaterThan(1000);
    expect(shown.equals(hidden)).toBe(false);
  });
});
