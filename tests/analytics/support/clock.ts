import type { Pool } from 'pg';
import { withTransaction } from '../../../shared/db/transaction';

/**
 * Moves everything the warehouse knows about time `days` earlier, as if it had all happened that much before now:
 * raw change stamps, the stock change log, the fence mark, the refresh checkpoint and the daily stock snapshot.
 * The next refresh then finds `days` new days to carry the stock over, as one a few days later would.
 */
export async function ageWarehouse(pool: Pool, days: number): Promise<void> {
  const shift = `interval '${days} days'`;
  await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ table: string }>(
      `select format('%I.%I', n.nspname, c.relname) as table
       from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
       where n.nspname = 'raw' and c.relkind = 'r' and c.relname not like '%\\_history'`,
    );
    // The stamp trigger only fires on a new payload or deleted_at, so last_changed_at can be moved as it is.
    for (const { table } of rows) await client.query(`update ${table} set last_changed_at = last_changed_at - ${shift}`);
    await client.query(`update raw.prestashop_stock_availables_change_history set changed_at = changed_at - ${shift}`);
    await client.query(`update staging.raw_change_fence set mark = mark - ${shift}`);
    await client.query(`update staging.analytics_state set checkpoint = checkpoint - ${shift}`);
    // Moved through a delete and an insert: an update row by row would meet the key of a row not moved yet.
    await client.query(
      `with moved as (delete from analytics.fact_stock_daily returning product_id, variant_id, stock_date, quantity, is_out_of_stock)
       insert into analytics.fact_stock_daily (product_id, variant_id, stock_date, quantity, is_out_of_stock)
       select product_id, variant_id, stock_date - ${days}, quantity, is_out_of_stock from moved`,
    );
  });
}

/** Dates a stock row's last recorded change at `at` (what a sync run at that time would have stamped). */
export async function backdateLastStockChange(pool: Pool, stockId: number, at: string): Promise<void> {
  await pool.query(
    `update raw.prestashop_stock_availables_change_history set changed_at = $2::timestamptz
     where id = $1 and changed_at = (select max(changed_at) from raw.prestashop_stock_availables_change_history where id = $1)`,
    [stockId, at],
  );
}
