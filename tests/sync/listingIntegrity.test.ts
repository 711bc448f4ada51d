import { refreshAnalytics } from '../../shared/analytics/refresh';
import { runReconcile } from '../../shared/sync/reconcile';
import { runSync, SyncRunError } from '../../shared/sync/runSync';
import { silentLogger } from '../../shared/telemetry/types';
import { expectRawEqualsShop, lastRun, rawPayloads, shopApiFor, shopPayloads, startSyncEnv, watermarkOf, type SyncEnv } from './support';

/** A listing the shop cuts short, reorders or caps never deletes or skips data. */
describe('listing integrity', () => {
  let env: SyncEnv | undefined;

  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  const kpis = async (e: SyncEnv): Promise<unknown[]> =>
    (await e.db.pool.query<Record<string, unknown>>('select sales_date::text, orders_count, valid_orders, revenue_tax_excl::text from analytics.kpi_daily_sales order by sales_date')).rows;

  it('a reconciliation whose last id page comes back empty (a swallowed SQL error) marks nothing and is partial', async () => {
    env = await startSyncEnv({ customers: 20, products: 10, orders: 400 });
    await runSync(env.deps, 'orders', { trigger: 'test' });
    await refreshAnalytics({ pool: env.db.pool, log: silentLogger, telemetry: env.telemetry }, { trigger: 'test' });
    const before = await kpis(env);
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    // Pages of 50 ids: every page from the one after ids[349] on (the last 50 ids) answers an empty list.
    const cut = ids[300]!;
    env.shop.control.setFaults({ emptyListAfterId: { id: cut, resource: 'orders' } });
    const result = await runReconcile({ ...env.deps, settings: { ...env.deps.settings, reconcilePageSize: 50 } }, 'orders', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'partial', incomplete: true, marked: 0, cause: 'incomplete_listing' });
    expect(result.listedUpTo).toBe(ids[349]);
    expect(result.listedUpTo).toBeLessThan(ids.at(-1)!);
    expect(result.error).toMatch(/not judged/);
    const marked = await env.db.pool.query('select count(*)::int as n from raw.prestashop_orders where deleted_at is not null');
    expect(marked.rows[0].n).toBe(0);
    await refreshAnalytics({ pool: env.db.pool, log: silentLogger, telemetry: env.telemetry }, { trigger: 'test' });
    expect(await kpis(env)).toEqual(before);
  });

  it('a reconciliation still marks what is gone below the end of a cut-short listing, and everything once the listing is whole', async () => {
    env = await startSyncEnv({ customers: 20, products: 10, orders: 300 });
    await runSync(env.deps, 'orders', { trigger: 'test' });
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    const [low, high] = [ids[10]!, ids[ids.length - 2]!];
    env.shop.control.hardDelete('orders', low);
    env.shop.control.hardDelete('orders', high);
    env.shop.control.setFaults({ emptyListAfterId: { id: ids[ids.length - 60]!, resource: 'orders' } });
    const sweep = { ...env.deps, settings: { ...env.deps.settings, reconcilePageSize: 50 } };
    const partial = await runReconcile(sweep, 'orders', { trigger: 'test' });
    expect(partial).toMatchObject({ status: 'partial', marked: 1 });
    env.shop.control.clearFaults();
    const whole = await runReconcile(sweep, 'orders', { trigger: 'test' });
    expect(whole).toMatchObject({ status: 'succeeded', marked: 1, incomplete: false });
    const deleted = await env.db.pool.query<{ id: string }>('select id from raw.prestashop_orders where deleted_at is not null order by id');
    expect(deleted.rows.map((r) => Number(r.id))).toEqual([low, high]);
  });

  it('a window whose later pages come back empty ends partial with the watermark held, and the next run reads the rest', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 300 }, { pageSize: 50, concurrency: 1 });
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    env.shop.control.setFaults({ emptyListAfterId: { id: ids[120]!, resource: 'orders' } });
    const first = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(first).toMatchObject({ status: 'partial', cause: 'incomplete_listing', watermarkAfter: '1970-01-01 00:00:00' });
    expect(first.reason).toMatch(/came back empty after id .* although the shop holds id/);
    expect((await watermarkOf(env.db.pool, 'orders')).lo).not.toBeNull(); // the window stays checkpointed
    expect(await lastRun(env.db.pool, 'orders')).toMatchObject({ status: 'partial' });
    env.shop.control.clearFaults();
    const second = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(second).toMatchObject({ status: 'succeeded', resumed: true });
    await expectRawEqualsShop(env, 'orders');
  });

  it('a shop that ignores sort=[id_ASC] fails the run with a clear line, keeps nothing of the bad page and moves no watermark', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 200 }, { pageSize: 40, concurrency: 1 });
    env.shop.control.setFaults({ ignoreSort: true });
    const error = await runSync(env.deps, 'orders', { trigger: 'test' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as Error).message).toMatch(/ids came back out of order .*sort=\[id_ASC\]/);
    expect((await rawPayloads(env.db.pool, 'orders')).size).toBe(0);
    expect((await watermarkOf(env.db.pool, 'orders')).watermark).toBe('1970-01-01 00:00:00');
    env.shop.control.clearFaults();
    await runSync(env.deps, 'orders', { trigger: 'test' });
    await expectRawEqualsShop(env, 'orders');
  });

  it('a shop that caps limit at 50 while the page size is 100 still loads every row', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 420 }, { pageSize: 100 });
    env.shop.control.setFaults({ maxLimit: 50 });
    const result = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(result.status).toBe('succeeded');
    await expectRawEqualsShop(env, 'orders');
    const asked = env.shop.control.requests().filter((r) => r.path === '/api/orders' && r.query.display === 'full');
    expect(asked.length).toBeGreaterThanOrEqual(Math.ceil(420 / 50) - 1);
  });

  it('a record that never answers is set aside within the time budget, the rest of the window loads, and no prefetched page is awaited', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 200 }, { pageSize: 25 });
    // The default timeouts scaled down 100 times: 30 s per request becomes 300 ms, the 120 s retry budget 1.2 s.
    const api = shopApiFor(env.shop, { requestTimeoutMs: 300, maxAttempts: 5 });
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    const hanging = ids[60]!;
    env.shop.control.setFaults({ hangIds: [hanging], faultResources: ['orders'] });
    const started = Date.now();
    const result = await runSync({ ...env.deps, api }, 'orders', { trigger: 'test', timeBudgetSeconds: 60 });
    const seconds = (Date.now() - started) / 1000;
    expect(result).toMatchObject({ status: 'succeeded', rowsQuarantined: 1 });
    expect(seconds).toBeLessThan(60);
    const quarantine = await env.db.pool.query<{ record_id: string; reason: string }>('select record_id, reason from staging.quarantine');
    expect(quarantine.rows).toEqual([{ record_id: String(hanging), reason: expect.stringMatching(/does not answer in time/) }]);
    const expected = shopPayloads(env.shop, 'orders');
    expected.delete(hanging);
    expect(await rawPayloads(env.db.pool, 'orders')).toEqual(expected);
  });

  it('the time budget reaches inside a page: a run stuck on a hanging page stops at its deadline and aborts what is in flight', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 120 }, { pageSize: 20, concurrency: 2 });
    // A shop that stops answering entirely, under long timeouts: only the run's deadline can end it.
    const api = shopApiFor(env.shop, { requestTimeoutMs: 60_000, maxAttempts: 2 });
    await runSync({ ...env.deps, api }, 'orders', { trigger: 'test' });
    env.shop.control.advance(600);
    for (const id of [...shopPayloads(env.shop, 'orders').keys()].slice(0, 60)) env.shop.control.update('orders', id, { note: 'later' });
    env.shop.control.advance(300);
    env.shop.control.setFaults({ timeoutRate: 1 });
    const started = Date.now();
    const result = await runSync({ ...env.deps, api }, 'orders', { trigger: 'test', timeBudgetSeconds: 1 });
    const seconds = (Date.now() - started) / 1000;
    expect(result).toMatchObject({ status: 'partial', cause: 'time_budget' });
    expect(seconds).toBeLessThan(10); // the hard deadline is the budget plus 5 s at most, here
  });
});
