import type { PoolClient } from 'pg';

export interface ChangedCounts {
  customers: number;
  products: number;
  orders: number;
}

const ENTITIES = [
  { table: 'raw.prestashop_customers', temp: 'chg_customers', key: 'customer_id', count: 'customers' },
  { table: 'raw.prestashop_products', temp: 'chg_products', key: 'product_id', count: 'products' },
  { table: 'raw.prestashop_orders', temp: 'chg_orders', key: 'order_id', count: 'orders' },
] as const;

/**
 * Fills chg_customers, chg_products and chg_orders with the raw ids stamped in (after, upTo]: inserts, new payloads
 * and deleted_at set or cleared all stamp last_changed_at. A full rebuild takes every raw id. The bounds are bound
 * parameters so the planner sees them and uses the last_changed_at index for small ranges.
 */
export async function createChangedKeys(
  client: PoolClient,
  range: { full: true } | { full: false; after: Date | null; upTo: Date },
): Promise<ChangedCounts> {
  const counts: ChangedCounts = { customers: 0, products: 0, orders: 0 };
  for (const entity of ENTITIES) {
    await client.query(`create temp table ${entity.temp} (${entity.key} bigint primary key) on commit drop`);
    const result = range.full
      ? await client.query(`insert into ${entity.temp} (${entity.key}) select id from ${entity.table}`)
      : await client.query(
          `insert into ${entity.temp} (${entity.key})
           select id from ${entity.table}
           where last_changed_at > coalesce($1::timestamptz, '-infinity') and last_changed_at <= $2::timestamptz`,
          [range.after, range.upTo],
        );
    counts[entity.count] = result.rowCount ?? 0;
    await client.query(`analyze ${entity.temp}`);
  }
  return counts;
}
