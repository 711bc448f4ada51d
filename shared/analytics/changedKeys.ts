import type { PoolClient } from 'pg';

export interface ChangedCounts {
  customers: number;
  products: number;
  orders: number;
}

/** A raw table whose changed ids a refresh collects into a temp table of its own. */
export interface ChangedSource {
  table: string;
  temp: string;
  key: string;
}

export type ChangedRange = { full: true } | { full: false; after: Date | null; upTo: Date };

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
export async function createChangedKeys(client: PoolClient, range: ChangedRange): Promise<ChangedCounts> {
  const counts: ChangedCounts = { customers: 0, products: 0, orders: 0 };
  for (const entity of ENTITIES) counts[entity.count] = await fillChangedKeys(client, entity, range);
  return counts;
}

/** A zero count for each source: what a skipped refresh reports. */
export function noChanges<S extends Record<string, ChangedSource>>(sources: S): Record<keyof S, number> {
  return Object.fromEntries(Object.keys(sources).map((name) => [name, 0])) as Record<keyof S, number>;
}

/** Fills the changed-id table of each source (fillChangedKeys) and counts them by name. */
export async function fillEveryChangedKeys<S extends Record<string, ChangedSource>>(
  client: PoolClient,
  sources: S,
  range: ChangedRange,
): Promise<Record<keyof S, number>> {
  const counts = {} as Record<keyof S, number>;
  for (const name of Object.keys(sources) as (keyof S)[]) counts[name] = await fillChangedKeys(client, sources[name]!, range);
  return counts;
}

/** Creates source.temp (source.key bigint primary key) with the ids of source.table changed in range; their count. */
export async function fillChangedKeys(client: PoolClient, source: ChangedSource, range: ChangedRange): Promise<number> {
  await client.query(`create temp table ${source.temp} (${source.key} bigint primary key) on commit drop`);
  const result = range.full
    ? await client.query(`insert into ${source.temp} (${source.key}) select id from ${source.table}`)
    : await client.query(
        `insert into ${source.temp} (${source.key})
         select id from ${source.table}
         where last_changed_at > coalesce($1::timestamptz, '-infinity') and last_changed_at <= $2::timestamptz`,
        [range.after, range.upTo],
      );
  await client.query(`analyze ${source.temp}`);
  return result.rowCount ?? 0;
}
