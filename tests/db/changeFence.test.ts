import { fenceRawWrites } from '../../shared/db/changeFence';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The change fence between raw writers and the analytics refresh, through plain SQL: no writer helper is called,
 * so these hold for any code that writes raw.
 */
describe('change fence between raw writers and the analytics refresh', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  const insertCustomer = (id: number) =>
    `insert into raw.prestashop_customers (id, payload, payload_sha256) values (${id}, '{"id":${id}}', sha256('${id}'))`;

  const stampOf = async (id: number): Promise<Date> =>
    (await db.pool.query<{ stamp: Date }>('select last_changed_at as stamp from raw.prestashop_customers where id = $1', [id])).rows[0]!.stamp;

  it('waits for an in-flight plain insert, and every later write is stamped after the mark', async () => {
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      await writer.query(insertCustomer(1));

      let fenced: Date | undefined;
      const fence = fenceRawWrites(db.pool).then((mark) => (fenced = mark));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fenced).toBeUndefined(); // blocked by the open writer, which never asked for the lock itself

      await writer.query('commit');
      const mark = await fence;
      expect(mark.getTime()).toBeGreaterThanOrEqual((await stampOf(1)).getTime());

      await db.pool.query(insertCustomer(2));
      expect((await stampOf(2)).getTime()).toBeGreaterThan(mark.getTime());
    } finally {
      writer.release();
    }
  });

  it('stamps a changed payload and a deleted_at set or cleared, and leaves a row rewritten with the same payload alone', async () => {
    await db.pool.query(insertCustomer(3));
    const first = await stampOf(3);
    await db.pool.query("update raw.prestashop_customers set last_run_id = 9 where id = 3");
    expect(await stampOf(3)).toEqual(first);
    await db.pool.query("update raw.prestashop_customers set payload = '{\"id\":3,\"a\":1}', payload_sha256 = sha256('3a') where id = 3");
    const changed = await stampOf(3);
    expect(changed.getTime()).toBeGreaterThan(first.getTime());
    await db.pool.query('update raw.prestashop_customers set deleted_at = now() where id = 3');
    expect((await stampOf(3)).getTime()).toBeGreaterThan(changed.getTime());
  });

  it('never stamps below the last fence mark, even when the server clock is behind it', async () => {
    // A clock stepped back by a day, as seen by the fence: the next stamps must still come after the mark.
    // Compared in SQL: the stamps are microseconds apart, below what a JavaScript Date holds.
    await db.pool.query("update staging.raw_change_fence set mark = clock_timestamp() + interval '1 day'");
    await fenceRawWrites(db.pool);
    const { rows: before } = await db.pool.query<{ mark: string }>('select mark::text from staging.raw_change_fence');
    await db.pool.query(insertCustomer(4));
    const after = async (mark: string): Promise<boolean> =>
      (await db.pool.query<{ after: boolean }>('select last_changed_at > $1::timestamptz as after from raw.prestashop_customers where id = 4', [mark])).rows[0]!.after;
    expect(await after(before[0]!.mark)).toBe(true);
    await fenceRawWrites(db.pool);
    const { rows: later } = await db.pool.query<{ later: boolean }>(
      'select mark >= (select last_changed_at from raw.prestashop_customers where id = 4) as later from staging.raw_change_fence',
    );
    expect(later[0]!.later).toBe(true);
  });

  it('lets writers share the lock with each other', async () => {
    const [a, b] = [await db.pool.connect(), await db.pool.connect()];
    try {
      await a.query('begin');
      await b.query('begin');
      await a.query(insertCustomer(5));
      await b.query(insertCustomer(6)); // would hang if the trigger's lock were exclusive
      await a.query('commit');
      await b.query('commit');
    } finally {
      a.release();
      b.release();
    }
  });

  it('is on every raw table a stream writes (not the append-only history)', async () => {
    const { rows } = await db.pool.query<{ table_name: string; has_trigger: boolean }>(
      `select c.relname as table_name,
              exists (select from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'stamp_change') as has_trigger
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'raw' and c.relkind = 'r' and c.relname not like '%\\_history'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => !r.has_trigger).map((r) => r.table_name)).toEqual([]);
  });
});
