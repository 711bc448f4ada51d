import { withTransaction } from '../../shared/db/transaction';
import { STREAMS } from '../../shared/sync/entities';
import { writeRawRecords } from '../../shared/sync/rawWriter';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const info = STREAMS.customers;

describe('raw writer', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  const write = (records: { id: number; [k: string]: unknown }[], runId = 1) =>
    withTransaction(db.pool, (client) => writeRawRecords(client, info, records, runId));

  const rows = async () =>
    (
      await db.pool.query<{ id: string; payload: Record<string, unknown>; date_upd_local: string | null; last_changed_at: Date; first_seen_at: Date }>(
        `select id, payload, to_char(date_upd_local, 'YYYY-MM-DD HH24:MI:SS') as date_upd_local, last_changed_at, first_seen_at
         from raw.prestashop_customers order by id`,
      )
    ).rows;
  const historyCount = async () => Number((await db.pool.query<{ n: string }>('select count(*) as n from raw.prestashop_customers_history')).rows[0]!.n);

  it('inserts a deduplicated batch without secrets, keeps unchanged rows untouched and adds one history row per version', async () => {
    const first = await write([
      { id: 1, email: 'old@x', date_upd: '2024-01-01 10:00:00', passwd: 'h', secure_key: 's' },
      { id: 2, email: 'b@x', date_upd: '0000-00-00 00:00:00' },
      { id: 1, email: 'a@x', date_upd: '2024-01-01 10:00:01', passwd: 'h' },
    ]);
    expect(first).toEqual({ changed: 2, unchanged: 0, distinct: 2, repaired: [] });
    const afterFirst = await rows();
    expect(afterFirst.map((r) => [r.id, r.payload, r.date_upd_local])).toEqual([
      ['1', { id: 1, email: 'a@x', date_upd: '2024-01-01 10:00:01' }, '2024-01-01 10:00:01'],
      ['2', { id: 2, email: 'b@x', date_upd: '0000-00-00 00:00:00' }, null],
    ]);
    expect(await historyCount()).toBe(2);

    // Same content, keys in another order and a secret that changed: nothing is written.
    const second = await write([{ date_upd: '2024-01-01 10:00:01', email: 'a@x', id: 1, passwd: 'other' }], 2);
    expect(second).toEqual({ changed: 0, unchanged: 1, distinct: 1, repaired: [] });
    const afterSecond = await rows();
    expect(afterSecond[0]!.last_changed_at).toEqual(afterFirst[0]!.last_changed_at);
    expect(await historyCount()).toBe(2);

    const third = await write([{ id: 1, email: 'new@x', date_upd: '2024-01-02 09:00:00' }], 3);
    expect(third.changed).toBe(1);
    const afterThird = await rows();
    expect(afterThird[0]!.payload).toEqual({ id: 1, email: 'new@x', date_upd: '2024-01-02 09:00:00' });
    expect(afterThird[0]!.last_changed_at.getTime()).toBeGreaterThan(afterFirst[0]!.last_changed_at.getTime());
    expect(afterThird[0]!.first_seen_at).toEqual(afterFirst[0]!.first_seen_at);
    expect(await historyCount()).toBe(3);

    // Back to an earlier version: raw changes, history already holds that version once.
    await write([{ id: 1, email: 'a@x', date_upd: '2024-01-01 10:00:01' }], 4);
    expect(await historyCount()).toBe(3);
    const { rows: versions } = await db.pool.query('select count(distinct payload_sha256)::int as n from raw.prestashop_customers_history where id = 1');
    expect(versions[0].n).toBe(2);
  });

  it('revives a row marked deleted even when its payload is unchanged', async () => {
    await db.pool.query("update raw.prestashop_customers set deleted_at = now() where id = 2");
    const counts = await write([{ id: 2, email: 'b@x', date_upd: '0000-00-00 00:00:00' }], 5);
    expect(counts.changed).toBe(1);
    const { rows: r } = await db.pool.query('select deleted_at from raw.prestashop_customers where id = 2');
    expect(r[0].deleted_at).toBeNull();
  });

  it('writes several entities on one connection (each entity has its own prepared statement)', async () => {
    const client = await db.pool.connect();
    try {
      for (const [entity, id] of [['products', 10], ['orders', 20], ['products', 11], ['orders', 20]] as const) {
        await client.query('begin');
        await writeRawRecords(client, STREAMS[entity], [{ id, name: `${entity} ${id}` }], 6);
        await client.query('commit');
      }
    } finally {
      client.release();
    }
    const { rows: products } = await db.pool.query('select id::int, payload from raw.prestashop_products order by id');
    expect(products).toEqual([{ id: 10, payload: { id: 10, name: 'products 10' } }, { id: 11, payload: { id: 11, name: 'products 11' } }]);
    const { rows: orders } = await db.pool.query('select id::int, payload from raw.prestashop_orders');
    expect(orders).toEqual([{ id: 20, payload: { id: 20, name: 'orders 20' } }]);
    const { rows: history } = await db.pool.query('select count(*)::int as n from raw.prestashop_orders_history');
    expect(history[0].n).toBe(1);
  });

  it('strips secrets nested in associations as well as at the top level', async () => {
    await write([{ id: 30, email: 'n@x', associations: { groups: [{ id: '3', secure_key: 'nested' }] }, passwd: 'top' }], 7);
    const { rows: r } = await db.pool.query("select payload from raw.prestashop_customers where id = 30");
    expect(r[0].payload).toEqual({ id: 30, email: 'n@x', associations: { groups: [{ id: '3' }] } });
    const { rows: h } = await db.pool.query("select payload::text as t from raw.prestashop_customers_history where id = 30");
    expect(h).toHaveLength(1);
    expect(h[0].t).not.toMatch(/secure_key|passwd|nested|top/);
  });
});

