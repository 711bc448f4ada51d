import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { freePort } from '../support/postgresServer';
import { buildCli, expectOneClearLine, phc } from './support/phc';

interface EntityReport {
  entity: string;
  rows: number;
  fetchedThisRun: number;
  changedThisRun: number;
  status: string;
}

interface Report {
  mode: string;
  firstRun: boolean;
  activity: Record<string, number> | null;
  entities: EntityReport[];
  kpis: Array<{ sales_date: string; orders_count: number }>;
  quality: { failedCritical: unknown[] };
  connect: { psql: string };
}

const byEntity = (report: Report, entity: string): EntityReport => {
  const found = report.entities.find((e) => e.entity === entity);
  if (!found) throw new Error(`no ${entity} in the report`);
  return found;
};

// A deliberately small shop: these are the slowest tests of the suite.
const SMALL_SHOP = ['--customers', '40', '--products', '10', '--orders', '150'];

beforeAll(() => buildCli(), 180_000);

describe('phc pipeline on embedded defaults', () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'phc-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('loads the sandbox shop, then on a second run loads only what changed in the shop', async () => {
    const first = await phc(['pipeline', '--json', ...SMALL_SHOP], { PHC_HOME: home });
    expect({ code: first.code, errors: first.errorLines }).toEqual({ code: 0, errors: [] });
    const one = JSON.parse(first.stdout) as Report;
    expect(one.mode).toBe('embedded');
    expect(one.firstRun).toBe(true);
    expect(byEntity(one, 'orders')).toMatchObject({ rows: 150, fetchedThisRun: 150, changedThisRun: 150, status: 'succeeded' });
    expect(byEntity(one, 'products')).toMatchObject({ rows: 10, changedThisRun: 10 });
    const customers1 = byEntity(one, 'customers');
    expect(customers1.rows).toBeGreaterThan(0);
    expect(customers1.changedThisRun).toBe(customers1.rows);
    expect(one.kpis.length).toBeGreaterThan(0);
    expect(one.quality.failedCritical).toEqual([]);
    expect(one.connect.psql).toMatch(/psql -h 127\.0\.0\.1 -p \d+ -U analytics_reader phc_analytics/);

    const second = await phc(['pipeline', '--json', ...SMALL_SHOP], { PHC_HOME: home });
    expect({ code: second.code, errors: second.errorLines }).toEqual({ code: 0, errors: [] });
    const two = JSON.parse(second.stdout) as Report;
    expect(two.firstRun).toBe(false);
    const activity = two.activity ?? {};
    const newOrders = activity.newOrders ?? 0;
    const newCustomers = activity.newCustomers ?? 0;
    expect(newOrders).toBeGreaterThan(0);
    const orders2 = byEntity(two, 'orders');
    expect(orders2.rows).toBe(150 + newOrders);
    // Only the changes: the new orders, and at most the updated and re-stated ones besides.
    expect(orders2.changedThisRun).toBeGreaterThanOrEqual(newOrders);
    expect(orders2.changedThisRun).toBeLessThanOrEqual(newOrders + (activity.updatedOrders ?? 0) + (activity.statusChanges ?? 0));
    expect(orders2.fetchedThisRun).toBeLessThan(150);
    const customers2 = byEntity(two, 'customers');
    expect(customers2.rows).toBe(customers1.rows + newCustomers);
    expect(customers2.changedThisRun).toBeLessThanOrEqual(newCustomers + (activity.softDeletes ?? 0));
    expect(customers2.changedThisRun).toBeGreaterThanOrEqual(newCustomers);
    expect(byEntity(two, 'products')).toMatchObject({ rows: 10, changedThisRun: 0 });
    expect(two.quality.failedCritical).toEqual([]);
  }, 180_000);
});

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
    expect(parsed.entities.map((e) => e.resource).sort()).toEqual(['customers', 'orders', 'products']);
    expect(parsed.entities.every((e) => e.watermark === '1970-01-01 00:00:00')).toBe(true);
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

  it('a wrong key: exit 1, one line saying the shop refused it, and no key in the output', async () => {
    const run = await phc(['sync', 'customers'], { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: wrongKey });
    expect(run.code).toBe(1);
    expectOneClearLine(run, /refused the webservice key/);
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
