import { startSandbox, type Sandbox } from '../../sandbox';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { buildCli, expectOneClearLine, startPhc, waitFor } from './support/phc';

beforeAll(() => buildCli(), 180_000);

describe('Ctrl-C during phc sync', () => {
  let db: TestDatabase;
  let shop: Sandbox;
  const key = 'PHCCLITESTKEY0000000000000000002';

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await startSandbox({ customers: 0, products: 0, orders: 400, apiKey: key });
    shop.control.setFaults({ latencyMs: 200 });
  });
  afterAll(async () => {
    await shop?.close();
    await db?.drop();
  });

  it('stops after the page in flight, closes the run as interrupted, says what was saved and exits 130', async () => {
    const env = { DATABASE_URL: db.url, PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: key, PRESTASHOP_PAGE_SIZE: '5', SYNC_LAG_SECONDS: '0' };
    const run = startPhc(['sync', 'orders'], env);
    const rowsSoFar = async (): Promise<number> => {
      const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from raw.prestashop_orders');
      return rows[0]?.n ?? 0;
    };
    await waitFor('two committed pages', async () => (await rowsSoFar()) >= 10, 60_000);
    run.child.kill('SIGINT');
    const ended = await run.done;

    expect(ended.code).toBe(130);
    expect(ended.stderr).toContain('interrupted: stopping the sync after the page in flight');
    expectOneClearLine(ended, /^phc: interrupted: orders run \d+ stopped after \d+ page\(s\) with \d+ changed row\(s\) saved .*recorded as interrupted and the next run resumes from its checkpoint/);
    const { rows } = await db.pool.query<{ status: string; error: string | null; rows_changed: number }>(
      `select status, error, rows_changed from staging.etl_runs where entity = 'prestashop_orders' order by run_id desc limit 1`,
    );
    expect(rows[0]).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/resumes from the checkpoint/) as string });
    const { rows: raw } = await db.pool.query<{ n: number }>('select count(*)::int as n from raw.prestashop_orders');
    expect(raw[0]?.n).toBe(rows[0]?.rows_changed);
    expect(raw[0]?.n).toBeLessThan(400);
  }, 120_000);
});
