import { STREAMS, SYNC_ORDER, type StreamName } from '../../shared/sync/entities';
import { runReconcile } from '../../shared/sync/reconcile';
import { runStream } from '../../shared/sync/runStream';
import { expectRawEqualsShop, historyCount, rawPayloads, startSyncEnv, type SyncEnv } from './support';

/** Every stream the registry declares loads exactly, reruns quietly and follows the shop's changes. */
describe('the order documents and the catalog', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 60, products: 30, orders: 250, languages: 2 }, { pageSize: 20, concurrency: 2 });
  });

  afterAll(async () => {
    await env.close();
  });

  const syncAll = async (): Promise<number> => {
    let changed = 0;
    for (const name of SYNC_ORDER) {
      const result = await runStream(env.deps, name, { trigger: 'test' });
      expect({ name, status: result.status }).toEqual({ name, status: 'succeeded' });
      changed += result.rowsChanged + Object.values(result.children ?? {}).reduce((n, c) => n + c.changed, 0);
    }
    return changed;
  };
  const every = Object.keys(STREAMS) as StreamName[];

  it('a first load makes raw equal to the shop for every stream, an order\'s details and cart rules included', async () => {
    await syncAll();
    for (const name of every) await expectRawEqualsShop(env, name);
    const { rows } = await env.db.pool.query<{ n: number }>('select count(*)::int as n from raw.prestashop_order_details where parent_id is null');
    expect(rows[0]!.n).toBe(0);
  });

  it('a rerun changes nothing and adds no version', async () => {
    const before = await Promise.all(every.map((name) => historyCount(env.db.pool, name)));
    env.shop.control.advance(600);
    expect(await syncAll()).toBe(0);
    expect(await Promise.all(every.map((name) => historyCount(env.db.pool, name)))).toEqual(before);
  });

  it('follows an order through its life: a new state, a payment, a refund and a removed line', async () => {
    const orders = env.shop.control.records('orders');
    const lines = (o: Record<string, unknown>): number => ((o.associations as { order_rows?: unknown[] } | undefined)?.order_rows ?? []).length;
    const a = orders.find((o) => lines(o) >= 2)!;
    const [b, c] = orders.filter((o) => o.id !== a.id).slice(10, 12) as [typeof a, typeof a];
    env.shop.control.advance(60);
    env.shop.control.changeOrderState(a.id, 4); // shipped
    env.shop.control.addPayment(b.id, { amount: '1.000000' });
    const details = env.shop.control.records('order_details').filter((d) => Number(d.id_order) === c.id);
    env.shop.control.refund(c.id, [{ detailId: details[0]!.id, quantity: 1 }]);
    const removed = env.shop.control.records('order_details').find((d) => Number(d.id_order) === a.id)!;
    env.shop.control.removeOrderLine(a.id, removed.id);
    env.shop.control.advance(600);
    await syncAll();
    for (const name of ['orders', 'order_details', 'order_histories', 'order_payments', 'order_slip'] as const) await expectRawEqualsShop(env, name);
    const gone = await rawPayloads(env.db.pool, 'order_details', { includeDeleted: true });
    expect(gone.has(removed.id)).toBe(true);
    const { rows } = await env.db.pool.query<{ deleted: boolean }>('select deleted_at is not null as deleted from raw.prestashop_order_details where id = $1', [removed.id]);
    expect(rows[0]!.deleted).toBe(true);
  });

  it('sees a variant\'s price and a product\'s stock change at the next sweep, though the product\'s date_upd did not move', async () => {
    const product = env.shop.control.records('products')[0]!;
    const productBefore = (await rawPayloads(env.db.pool, 'products')).get(product.id);
    const stock = env.shop.control.records('stock_availables').find((s) => Number(s.id_product) === product.id)!;
    env.shop.control.setStock(product.id, Number(stock.id_product_attribute), 12_345);
    const combination = env.shop.control.records('combinations')[0];
    if (combination) env.shop.control.setCombinationPrice(combination.id, '7.500000');
    env.shop.control.advance(600);
    expect((await runStream(env.deps, 'products', { trigger: 'test' })).rowsChanged).toBe(0);
    expect((await rawPayloads(env.db.pool, 'products')).get(product.id)).toEqual(productBefore);
    const swept = await runStream(env.deps, 'stock_availables', { trigger: 'test' });
    expect(swept).toMatchObject({ status: 'succeeded', rowsChanged: 1 });
    if (combination) expect((await runStream(env.deps, 'combinations', { trigger: 'test' })).rowsChanged).toBe(1);
    await expectRawEqualsShop(env, 'stock_availables');
    await expectRawEqualsShop(env, 'combinations');
    const versions = await env.db.pool.query<{ n: number }>('select count(*)::int as n from raw.prestashop_stock_availables_history where id = $1', [stock.id]);
    expect(versions.rows[0]!.n).toBe(2); // stock over time: both quantities kept
  });

  it('reconciles a stream with ids like the first three, and a swept stream marks what the shop no longer lists', async () => {
    const payment = env.shop.control.records('order_payments')[0]!;
    env.shop.control.hardDelete('order_payments', payment.id);
    const result = await runReconcile(env.deps, 'order_payments', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'succeeded', marked: 1 });
    await expectRawEqualsShop(env, 'order_payments');
  });
});
