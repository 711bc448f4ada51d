import { Event, Metric } from '../../shared/telemetry/names';
import { runReconcile } from '../../shared/sync/reconcile';
import { runSync } from '../../shared/sync/runSync';
import { expectRawEqualsShop, lastRun, shopPayloads, startSyncEnv, type SyncEnv } from './support';

describe('delete reconciliation', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 100, products: 20, orders: 0 }, { reconcilePageSize: 30, reconcileMaxDeleteShare: 0.2 });
    await runSync(env.deps, 'customers', { trigger: 'test' });
    await runSync(env.deps, 'products', { trigger: 'test' });
  });

  afterAll(async () => {
    await env.close();
  });

  const deletedIds = async () =>
    (await env.db.pool.query<{ id: string }>('select id from raw.prestashop_customers where deleted_at is not null order by id')).rows.map((r) => Number(r.id));

  it('marks a hard-deleted record and clears the mark when it reappears', async () => {
    const ids = [...shopPayloads(env.shop, 'customers').keys()];
    const gone = ids[10]!;
    const before = await env.db.pool.query<{ last_changed_at: Date }>('select last_changed_at from raw.prestashop_customers where id = $1', [gone]);
    env.shop.control.hardDelete('customers', gone);

    const sweep = await runReconcile(env.deps, 'customers', { trigger: 'test' });
    expect(sweep).toMatchObject({ status: 'succeeded', marked: 1, restored: 0, refused: false, shopIds: ids.length - 1 });
    expect(await deletedIds()).toEqual([gone]);
    const after = await env.db.pool.query<{ last_changed_at: Date }>('select last_changed_at from raw.prestashop_customers where id = $1', [gone]);
    expect(after.rows[0]!.last_changed_at.getTime()).toBeGreaterThan(before.rows[0]!.last_changed_at.getTime());
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ kind: 'reconcile', status: 'succeeded', details: expect.objectContaining({ marked: 1, restored: 0, refused: false }) });

    const event = env.telemetry.items.filter((i) => i.name === Event.reconcileRun.name).at(-1)!;
    expect(event).toMatchObject({ dimensions: { entity: 'prestashop_customers', status: 'succeeded', runId: String(sweep.runId) }, measurements: { marked: 1 } });
    expect(env.telemetry.items.filter((i) => i.name === Metric.reconcileMarkedDeleted.name).at(-1)).toMatchObject({ value: 1 });

    // A second sweep changes nothing more.
    expect(await runReconcile(env.deps, 'customers', { trigger: 'test' })).toMatchObject({ marked: 0, restored: 0 });

    env.shop.control.restore('customers', gone);
    const back = await runReconcile(env.deps, 'customers', { trigger: 'test' });
    expect(back).toMatchObject({ status: 'succeeded', marked: 0, restored: 1 });
    expect(await deletedIds()).toEqual([]);
    await expectRawEqualsShop(env, 'customers');
  });

  it('refuses to mark more than the allowed share deleted, changing nothing, unless forced', async () => {
    const ids = [...shopPayloads(env.shop, 'products').keys()];
    for (const id of ids.slice(0, 5)) env.shop.control.hardDelete('products', id); // 25% > 20%
    const snapshot = await env.db.pool.query('select id, deleted_at, last_changed_at from raw.prestashop_products order by id');

    const refused = await runReconcile(env.deps, 'products', { trigger: 'test' });
    expect(refused).toMatchObject({ status: 'failed', refused: true, marked: 0, wouldMark: 5, liveRows: ids.length });
    expect(refused.error).toMatch(/refused to mark 5 of 20/);
    expect((await env.db.pool.query('select id, deleted_at, last_changed_at from raw.prestashop_products order by id')).rows).toEqual(snapshot.rows);
    expect(await lastRun(env.db.pool, 'products')).toMatchObject({ kind: 'reconcile', status: 'failed', details: expect.objectContaining({ refused: true, marked: 0 }) });

    const forced = await runReconcile(env.deps, 'products', { trigger: 'test', force: true });
    expect(forced).toMatchObject({ status: 'succeeded', marked: 5 });
    const { rows } = await env.db.pool.query<{ id: string }>('select id from raw.prestashop_products where deleted_at is not null order by id');
    expect(rows.map((r) => Number(r.id))).toEqual(ids.slice(0, 5));
  });

  it('an empty id listing never wipes the warehouse', async () => {
    for (const id of shopPayloads(env.shop, 'customers').keys()) env.shop.control.hardDelete('customers', id);
    const result = await runReconcile(env.deps, 'customers', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'failed', refused: true, shopIds: 0, marked: 0 });
    expect(await deletedIds()).toEqual([]);
  });
});
