import { WINDOWED_STREAMS } from '../../shared/sync/entities';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { freePort } from '../support/postgresServer';
import { buildCli, expectOneClearLine, phc } from './support/phc';

beforeAll(() => buildCli(), 180_000);

/** A web server that is not a shop: every path answers 404 with an HTML page, as a front controller or a bare server does. */
async function notAShop(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><head><title>Error response</title></head><body><h1>Error response</h1><p>Error code: 404</p></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface StatusJson {
  entities: Array<{ resource: string; watermark: string; synced: boolean; lagSeconds: number | null }>;
  quarantine: unknown[];
  timeZone: string | null;
  lagClock: string | null;
  analytics: { lastRefresh: { status: string; finishedAt: string } | null; lastSucceededAt: string | null };
  dataQuality: { runId: number | null; checks: number; failedCritical: unknown[] };
}

describe('phc against configured settings', () => {
  let db: TestDatabase;
  let shop: Sandbox;
  const key = 'PHCCLITESTKEY0000000000000000001';
  const wrongKey = 'PHCCLITESTKEY0000000000000000999';

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await startSandbox({ customers: 5, products: 3, orders: 10, apiKey: key });
  });
  afterAll(async () => {
    await shop?.close();
    await db?.drop();
  });

  it('prints parseable --json (migrate, status)', async () => {
    const migrated = await phc(['migrate', '--json'], { DATABASE_URL: db.url });
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ applied: [], alreadyApplied: expect.any(Number) as number });

    const status = await phc(['status', '--json'], { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key });
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { entities: Array<{ resource: string; watermark: string }>; quarantine: unknown[] };
    expect(parsed.entities.map((e) => e.resource).sort()).toEqual([...WINDOWED_STREAMS].sort());
    expect(parsed.entities.every((e) => e.watermark === '1970-01-01 00:00:00')).toBe(true);
  });

  it('status needs only the database, says "never synced", and gives analytics and data quality, in --json too', async () => {
    const text = await phc(['status'], { DATABASE_URL: db.url });
    expect({ code: text.code, errors: text.errorLines }).toEqual({ code: 0, errors: [] });
    expect(text.stdout).toMatch(/customers\s+never synced/);
    expect(text.stdout).toContain('Analytics: never refreshed');
    expect(text.stdout).toContain('Data quality: no checks have run yet');

    const env = { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key, SYNC_LAG_SECONDS: '0' };
    expect((await phc(['sync', 'all'], env)).code).toBe(0);
    expect((await phc(['analytics'], { DATABASE_URL: db.url })).code).toBe(0); // works without the shop settings
    expect((await phc(['analytics'], env)).code).toBe(0); // with them, it also stores the shop's time zone
    const json = await phc(['status', '--json'], env);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as StatusJson;
    expect(status.timeZone).toBe('Europe/Paris');
    expect(status.lagClock).toBe('shop');
    for (const e of status.entities) expect(e).toMatchObject({ synced: true, lagSeconds: expect.any(Number) as number });
    expect(status.analytics.lastRefresh?.status).toBe('succeeded');
    expect(status.dataQuality.checks).toBeGreaterThan(0);

    const shown = await phc(['status'], env);
    expect(shown.stdout).toContain('Watermarks (shop-local, Europe/Paris; lag behind the shop clock)');
    expect(shown.stdout).toContain('started (UTC)');
    expect(shown.stdout).toMatch(/Analytics: last refresh run \d+ succeeded at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
  }, 120_000);

  it('status with the shop down asks it once, quickly, and measures lag against this clock in the stored zone', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = await phc(['status', '--json'], { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: `http://127.0.0.1:${port}`, PRESTASHOP_API_KEY: key });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect({ code: run.code, errors: run.errorLines }).toEqual({ code: 0, errors: [] });
    expect(run.stderr.match(/the shop did not answer/g)).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ lagClock: 'local', timeZone: 'Europe/Paris' });
  });

  it('with the database down, status says so without trying the shop', async () => {
    const [dbPort, shopPort] = [await freePort(), await freePort()];
    const run = await phc(['status'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/phc`, PRESTASHOP_BASE_URL: `http://127.0.0.1:${shopPort}`, PRESTASHOP_API_KEY: key });
    expect(run.code).toBe(1);
    expectOneClearLine(run, /Cannot reach PostgreSQL/);
    expect(run.stderr).not.toMatch(/shop/i);
  });

  it('a database that was never migrated: one line saying to run phc migrate, for every data command', async () => {
    const empty = await createTestDatabase({ migrated: false });
    try {
      const env = { DATABASE_URL: empty.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key };
      for (const args of [['status'], ['sync', 'orders'], ['analytics'], ['reset-watermark', 'orders'], ['reconcile', 'orders']]) {
        const run = await phc(args, env);
        expect([args.join(' '), run.code]).toEqual([args.join(' '), 1]);
        expectOneClearLine(run, /^phc: the database has no PHC schema yet: run phc migrate/);
      }
    } finally {
      await empty.drop();
    }
  }, 120_000);

  it('a login role that does not exist: exit 1 and one line naming it', async () => {
    const url = new URL(db.url);
    url.username = 'no_such_role';
    url.password = 's3cret-pw';
    const run = await phc(['status'], { DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    // A server with trust auth says the role is missing; one with password auth (the embedded test server) does not
    // tell a missing role from a wrong password, so the line names the role and the password check instead.
    expectOneClearLine(run, /PostgreSQL has no login role "no_such_role"|password authentication failed for user "no_such_role"\. Check the user and password/);
    expect(run.stdout + run.stderr).not.toContain('s3cret-pw');
  });

  it('reset-watermark refuses a time after the shop clock or before the epoch, and --runs takes only a positive whole number', async () => {
    const env = { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key };
    const future = await phc(['reset-watermark', 'orders', '--to', '2099-01-01'], env);
    expect(future.code).toBe(2);
    expectOneClearLine(future, /--to 2099-01-01 00:00:00 is later than the shop clock/);
    const withoutShop = await phc(['reset-watermark', 'orders', '--to', '2099-01-01'], { DATABASE_URL: db.url });
    expect(withoutShop.code).toBe(2);
    expectOneClearLine(withoutShop, /is later than the shop's time now .* Europe\/Paris/);
    const early = await phc(['reset-watermark', 'orders', '--to', '1969-12-31 23:59:59'], env);
    expect(early.code).toBe(2);
    expectOneClearLine(early, /before 1970-01-01 00:00:00/);
    for (const runs of ['abc', '-2', '0', '1.5']) {
      const run = await phc(['status', '--runs', runs], env);
      expect([runs, run.code]).toEqual([runs, 2]);
      expectOneClearLine(run, /--runs/);
    }
  });

  it('a URL that answers 404 pages: one line, once, saying it does not look like the webservice', async () => {
    const web = await notAShop();
    try {
      const run = await phc(['sync', 'orders'], { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: `${web.url}/shop`, PRESTASHOP_API_KEY: key });
      expect(run.code).toBe(1);
      expectOneClearLine(run, /^phc: PRESTASHOP_BASE_URL \(http:\/\/127\.0\.0\.1:\d+\/shop\) does not look like a shop with the webservice at \/api\/ .*rewrite rule/);
      expect(run.errorLines[0]).not.toContain('Error response');
    } finally {
      await web.close();
    }
  });

  it('the example settings as they ship (blanks included) work once DATABASE_URL points somewhere', async () => {
    const example = JSON.parse(readFileSync(path.join(__dirname, '../../local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    const run = await phc(['status'], { ...example.Values, DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key });
    expect({ code: run.code, errors: run.errorLines }).toEqual({ code: 0, errors: [] });
  });

  it('sandbox: a port out of range or an unknown time zone is bad usage; a busy port says so', async () => {
    const badPort = await phc(['sandbox', '--port', '99999'], {});
    expect(badPort.code).toBe(2);
    expectOneClearLine(badPort, /--port.*from 0 to 65535/);
    const badZone = await phc(['sandbox', '--port', '0', '--timezone', 'Mars/Olympus'], {});
    expect(badZone.code).toBe(2);
    expectOneClearLine(badZone, /--timezone.*IANA time zone/);
    const busy = new URL(shop.baseUrl).port;
    const taken = await phc(['sandbox', '--port', busy], {});
    expect(taken.code).toBe(2);
    expectOneClearLine(taken, new RegExp(`port ${busy} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('a missing setting: exit 2 and one line naming it, nothing attempted', async () => {
    const run = await phc(['sync', 'all'], { DATABASE_URL: db.url, PRESTASHOP_API_KEY: key });
    expect(run.code).toBe(2);
    expectOneClearLine(run, /PRESTASHOP_BASE_URL/);
  });

  it('a bad DATABASE_URL: exit 2 when malformed, exit 1 when nothing answers, one line each', async () => {
    const malformed = await phc(['migrate'], { DATABASE_URL: 'mysql://somewhere/db' });
    expect(malformed.code).toBe(2);
    expectOneClearLine(malformed, /DATABASE_URL/);

    const port = await freePort();
    const unreachable = await phc(['migrate'], { DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${port}/phc` });
    expect(unreachable.code).toBe(1);
    expectOneClearLine(unreachable, /Cannot reach PostgreSQL/);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('s3cret-pw');
  });

  it('a wrong key: exit 1, one line saying the shop refused it and every resource it needs, and no key in the output', async () => {
    const run = await phc(['sync', 'customers'], { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: wrongKey });
    expect(run.code).toBe(1);
    expectOneClearLine(run, /refused the webservice key.*GET permission on customers, products, orders, order_details, .* and stock_availables/);
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
    expect(run.stdout + run.stderr).not.toContain(key);
  });

  it('a sync stopped by its time budget: exit 3 after printing its result, and the next run finishes', async () => {
    const slow = await startSandbox({ customers: 0, products: 0, orders: 60, apiKey: key });
    try {
      slow.control.setFaults({ latencyMs: 250 });
      const env = { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: slow.baseUrl, PRESTASHOP_API_KEY: key, PRESTASHOP_PAGE_SIZE: '5', SYNC_LAG_SECONDS: '0' };
      const stopped = await phc(['sync', 'orders', '--full-refresh', '--time-budget', '1', '--json'], env);
      expect(stopped.code).toBe(3);
      expectOneClearLine(stopped, /time budget/);
      const [partial] = JSON.parse(stopped.stdout) as Array<{ status: string; rowsFetched: number; rowsChanged: number }>;
      expect(partial?.status).toBe('partial');
      expect(partial?.rowsFetched).toBeLessThan(60);

      slow.control.clearFaults();
      const resumed = await phc(['sync', 'orders', '--json'], env);
      expect(resumed.code).toBe(0);
      const [done] = JSON.parse(resumed.stdout) as Array<{ status: string; rowsChanged: number; resumed: boolean }>;
      // The rest of the stopped window, then the window due now (whose overlap re-reads, unchanged, the newest rows).
      expect(done).toMatchObject({ status: 'succeeded', resumed: true, rowsChanged: 60 - (partial?.rowsChanged ?? 0) });
    } finally {
      await slow.close();
    }
  });

  it('an unreachable shop: exit 1 and one line saying so', async () => {
    const port = await freePort();
    const run = await phc(['sync', 'products'], {
      DATABASE_URL: db.url,
      PRESTASHOP_BASE_URL: `http://127.0.0.1:${port}`,
      PRESTASHOP_API_KEY: key,
      PRESTASHOP_TIMEOUT_MS: '1000',
    });
    expect(run.code).toBe(1);
    expectOneClearLine(run, /Cannot reach the shop/);
  }, 120_000);
});
