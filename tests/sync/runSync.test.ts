import { addSeconds, toShopLocal } from '../../shared/prestashop/shopTime';
import { SENSITIVE_FIELDS } from '../../shared/prestashop/sensitiveFields';
import { runSync } from '../../shared/sync/runSync';
import { expectRawEqualsShop, historyCount, lastRun, rawPayloads, shopPayloads, startSyncEnv, watermarkOf, type SyncEnv } from './support';

/** The window's hi for the shop's current (frozen) clock: shop-local now minus the lag. */
async function expectedHi(env: SyncEnv): Promise<string> {
  const now = await env.api.now();
  return toShopLocal(new Date(now.utc.getTime() - env.deps.settings.lagSeconds * 1000), now.timeZone);
}

describe('runSync: loading and re-loading', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 150, products: 60, orders: 320 });
  });

  afterAll(async () => {
    await env.close();
  });

  it('loads a seeded shop exactly and moves the watermark to hi', async () => {
    for (const entity of ['customers', 'products', 'orders'] as const) {
      const hi = await expectedHi(env);
      const result = await runSync(env.deps, entity, { trigger: 'test' });
      expect(result).toMatchObject({ status: 'succeeded', windowLo: '1970-01-01 00:00:00', windowHi: hi, watermarkAfter: hi, changed: true });
      await expectRawEqualsShop(env, entity);
      expect(result.rowsChanged).toBe(shopPayloads(env.shop, entity).size);
      expect(await watermarkOf(env.db.pool, entity)).toEqual({ watermark: hi, lo: null, hi: null, lastId: null });
      expect(await historyCount(env.db.pool, entity)).toBe(result.rowsChanged);
      expect(await lastRun(env.db.pool, entity)).toMatchObject({ status: 'succeeded', kind: 'sync', window_hi: hi, rows_changed: result.rowsChanged });
    }
    // The shop does send secrets (orders carry secure_key, customers passwd...); none reaches raw or history.
    expect(env.shop.control.records('orders').some((o) => 'secure_key' in o)).toBe(true);
    for (const table of ['customers', 'products', 'orders', 'customers_history', 'products_history', 'orders_history']) {
      const { rows } = await env.db.pool.query<{ n: number }>(
        `select count(*)::int as n from raw.prestashop_${table} where payload ?| $1::text[]`,
        [[...SENSITIVE_FIELDS]],
      );
      expect({ table, withSecrets: rows[0]!.n }).toEqual({ table, withSecrets: 0 });
    }
  });

  it('a rerun with no change writes nothing: no history rows, last_changed_at unchanged', async () => {
    env.shop.control.advance(600);
    const before = await env.db.pool.query('select id, last_changed_at, last_run_id from raw.prestashop_orders order by id');
    const historyBefore = await historyCount(env.db.pool, 'orders');
    const hi = await expectedHi(env);
    const result = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', rowsChanged: 0, changed: false, watermarkAfter: hi });
    const after = await env.db.pool.query('select id, last_changed_at, last_run_id from raw.prestashop_orders order by id');
    expect(after.rows).toEqual(before.rows);
    expect(await historyCount(env.db.pool, 'orders')).toBe(historyBefore);
    await expectRawEqualsShop(env, 'orders');
  });

  it('loads exactly the inserts and updates made between runs', async () => {
    const ids = [...shopPayloads(env.shop, 'customers').keys()];
    env.shop.control.advance(60);
    env.shop.control.update('customers', ids[3]!, { lastname: 'Changed' });
    env.shop.control.update('customers', ids[40]!, { note: 'vip' });
    const added = env.shop.control.add('customers', { firstname: 'New', lastname: 'Customer' });
    env.shop.control.advance(600);
    const historyBefore = await historyCount(env.db.pool, 'customers');
    const result = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', rowsChanged: 3, changed: true });
    await expectRawEqualsShop(env, 'customers');
    expect(await historyCount(env.db.pool, 'customers')).toBe(historyBefore + 3);
    const { rows } = await env.db.pool.query<{ id: string }>(
      'select id from raw.prestashop_customers where last_run_id = $1 order by id',
      [result.runId],
    );
    expect(rows.map((r) => Number(r.id))).toEqual([ids[3]!, ids[40]!, added].sort((a, b) => a - b));
  });

  it('pages 250 rows sharing one date_upd with page size 100 without losing or repeating one', async () => {
    env.shop.control.advance(60);
    const now = await env.api.now();
    const shared = addSeconds(now.local, -200);
    for (let i = 0; i < 250; i++) env.shop.control.add('products', { reference: `SAME-${i}` }, { dateUpd: shared });
    env.shop.control.advance(300);
    const result = await runSync({ ...env.deps, settings: { ...env.deps.settings, pageSize: 100 } }, 'products', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', rowsChanged: 250 });
    expect(result.pages).toBeGreaterThanOrEqual(3);
    await expectRawEqualsShop(env, 'products');
    const { rows } = await env.db.pool.query(`select count(*)::int as n from raw.prestashop_products where date_upd_local = $1::timestamp`, [shared]);
    expect(rows[0].n).toBe(250);
  });

  it('loads rows exactly on both window bounds, and none just outside', async () => {
    env.shop.control.advance(900);
    const { watermark } = await watermarkOf(env.db.pool, 'customers');
    const lo = addSeconds(watermark, -env.deps.settings.overlapSeconds);
    const hi = await expectedHi(env);
    const at = (dateUpd: string) => env.shop.control.add('customers', { lastname: dateUpd }, { dateUpd });
    const onLo = at(lo);
    const onHi = at(hi);
    const belowLo = at(addSeconds(lo, -1));
    const aboveHi = at(addSeconds(hi, 1));
    const result = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', windowLo: lo, windowHi: hi, rowsChanged: 2 });
    const raw = await rawPayloads(env.db.pool, 'customers');
    expect([onLo, onHi].every((id) => raw.has(id))).toBe(true);
    expect([belowLo, aboveHi].some((id) => raw.has(id))).toBe(false);
    // The row above hi is picked up by the next window; the one below lo was written "in the past" and only a
    // full refresh finds it.
    env.shop.control.advance(300);
    await runSync(env.deps, 'customers', { trigger: 'test' });
    expect((await rawPayloads(env.db.pool, 'customers')).has(aboveHi)).toBe(true);
    const full = await runSync(env.deps, 'customers', { trigger: 'test', fullRefresh: true });
    expect(full).toMatchObject({ status: 'succeeded', windowLo: '1970-01-01 00:00:00', rowsChanged: 1 });
    await expectRawEqualsShop(env, 'customers');
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ kind: 'full_refresh', status: 'succeeded' });
  });

  it('a row updated between two pages moves above hi and is picked up by the next run', async () => {
    const fresh = await startSyncEnv({ customers: 0, products: 0, orders: 260 }, { pageSize: 50 }, undefined);
    try {
      const ids = [...shopPayloads(fresh.shop, 'orders').keys()];
      const late = ids[ids.length - 1]!;
      let updated = false;
      const first = await runSync(fresh.deps, 'orders', {
        trigger: 'test',
        onProgress: (p) => {
          if (p.pages === 1 && !updated) {
            updated = true;
            fresh.shop.control.update('orders', late, { note: 'edited while the window was read' });
          }
        },
      });
      expect(first.status).toBe('succeeded');
      const raw = await rawPayloads(fresh.db.pool, 'orders');
      expect(raw.has(late)).toBe(false);
      expect(raw.size).toBe(ids.length - 1);
      fresh.shop.control.advance(300);
      const second = await runSync(fresh.deps, 'orders', { trigger: 'test' });
      expect(second.rowsChanged).toBe(1);
      await expectRawEqualsShop(fresh, 'orders');
    } finally {
      await fresh.close();
    }
  });

  it('stops between pages when the time budget is spent and the next run continues from the checkpoint', async () => {
    const fresh = await startSyncEnv({ customers: 230, products: 0, orders: 0 }, { pageSize: 50 });
    try {
      const first = await runSync(fresh.deps, 'customers', { trigger: 'test', timeBudgetSeconds: 0 });
      expect(first).toMatchObject({ status: 'partial', pages: 1, rowsChanged: 50, watermarkAfter: '1970-01-01 00:00:00' });
      expect(first.reason).toMatch(/time budget/);
      const checkpoint = await watermarkOf(fresh.db.pool, 'customers');
      expect(checkpoint).toMatchObject({ watermark: '1970-01-01 00:00:00', lo: first.windowLo, hi: first.windowHi });
      expect(checkpoint.lastId).toBe(Math.max(...(await rawPayloads(fresh.db.pool, 'customers')).keys()));
      fresh.shop.control.advance(60);
      const second = await runSync(fresh.deps, 'customers', { trigger: 'test' });
      const total = shopPayloads(fresh.shop, 'customers').size; // some seeded customers are hard-deleted
      // It finishes the checkpointed window, then reads the window due at its own start: exit 0 means current.
      expect(second).toMatchObject({ status: 'succeeded', resumed: true, windowLo: first.windowLo, rowsChanged: total - 50 });
      expect(second.windowHi! > first.windowHi!).toBe(true);
      await expectRawEqualsShop(fresh, 'customers');
      expect(await watermarkOf(fresh.db.pool, 'customers')).toEqual({ watermark: second.windowHi, lo: null, hi: null, lastId: null });
    } finally {
      await fresh.close();
    }
  });
});

