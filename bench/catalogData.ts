import type { Pool } from 'pg';
import { withTransaction } from '../shared/db/transaction';

const lang = (expr: string): string => `jsonb_build_array(jsonb_build_object('id', '1', 'value', ${expr}), jsonb_build_object('id', '2', 'value', ${expr} || ' (fr)'))`;
const raw = (table: string, select: string): string =>
  `insert into raw.prestashop_${table} (id, payload, payload_sha256, date_upd_local)
   select c.id, c.payload, sha256(convert_to(c.payload::text, 'UTF8')), null from (${select}) as c`;

/**
 * The catalog and geography the generated orders name (shop-shaped payloads, as in analyticsData.ts): 20 countries,
 * 4 carriers, a tree of 60 categories, 20 brands, one address per customer, two variants for half the products,
 * and a stock row per product and variant with 30 days of changes in the stock change log.
 */
export async function generateCatalog(pool: Pool, customers: number, products: number): Promise<void> {
  await pool.query(raw('countries', `select g.id, jsonb_build_object('id', g.id, 'id_zone', 1, 'iso_code', 'C' || g.id, 'call_prefix', 33, 'active', '1', 'contains_states', '0', 'name', ${lang("'Country ' || g.id")}) as payload from generate_series(1, 20) as g (id)`));
  await pool.query(raw('carriers', `select g.id, jsonb_build_object('id', g.id, 'id_reference', g.id, 'name', 'Carrier ' || g.id, 'active', '1', 'deleted', '0', 'is_free', '0', 'is_module', '0', 'external_module_name', '') as payload from generate_series(1, 4) as g (id)`));
  await pool.query(raw('categories', `select g.id, jsonb_build_object('id', g.id, 'id_parent', case when g.id = 1 then 0 when g.id = 2 then 1 when g.id <= 12 then 2 else 3 + g.id % 10 end, 'level_depth', case when g.id = 1 then 0 when g.id = 2 then 1 when g.id <= 12 then 2 else 3 end, 'active', '1', 'is_root_category', case when g.id = 2 then '1' else '0' end, 'position', g.id, 'date_add', '2022-01-01 10:00:00', 'date_upd', '2022-01-01 10:00:00', 'name', ${lang("'Category ' || g.id")}) as payload from generate_series(1, 60) as g (id)`));
  await pool.query(raw('manufacturers', `select g.id, jsonb_build_object('id', g.id, 'name', 'Brand ' || g.id, 'active', '1', 'date_add', '2022-01-01 10:00:00', 'date_upd', '2022-01-01 10:00:00') as payload from generate_series(1, 20) as g (id)`));
  await pool.query(
    raw('addresses', `select g.id, jsonb_build_object('id', g.id, 'id_customer', g.id, 'id_country', 1 + g.id % 20, 'id_state', 0, 'deleted', '0', 'city', 'Town', 'date_add', '2022-12-01 10:00:00', 'date_upd', '2022-12-01 10:00:00') as payload from generate_series(1, $1::int) as g (id)`),
    [customers],
  );
  const variants = products; // two for each of the first half of the products
  await pool.query(
    raw('combinations', `select 100000 + g.id as id, jsonb_build_object('id', 100000 + g.id, 'id_product', 1 + (g.id - 1) / 2, 'reference', 'V' || g.id, 'price', ((g.id % 5) + 0.5)::numeric(20, 6)::text, 'wholesale_price', '0.000000', 'default_on', case when g.id % 2 = 1 then '1' end, 'minimal_quantity', 1) as payload from generate_series(1, $1::int) as g (id)`),
    [variants],
  );
  await pool.query(
    raw('stock_availables', `select g.id, jsonb_build_object('id', g.id, 'id_product', case when g.id <= $1 then g.id else 1 + (g.id - $1 - 1) / 2 end, 'id_product_attribute', case when g.id <= $1 then 0 else 100000 + g.id - $1 end, 'id_shop', 1, 'id_shop_group', 0, 'quantity', g.id % 7, 'depends_on_stock', '0', 'out_of_stock', 2, 'location', '') as payload from generate_series(1, $1::int + $2::int) as g (id)`),
    [products, variants],
  );
  // Thirty days of earlier quantities: a fifth of the stock rows changed each day (the trigger logged today's).
  await pool.query(
    `insert into raw.prestashop_stock_availables_change_history (id, payload_sha256, payload, deleted, changed_at)
     select s.id, sha256(convert_to(p.payload::text, 'UTF8')), p.payload, false, now() - make_interval(days => d.day, hours => (1 + s.id % 20)::int)
     from raw.prestashop_stock_availables as s
     cross join generate_series(1, 30) as d (day)
     cross join lateral (select s.payload || jsonb_build_object('quantity', (s.id + d.day) % 9 - 1) as payload) as p
     where (s.id + d.day) % 5 = 0`,
  );
}

/** What the catalog sync brings in a day: stock changes, a renamed category and brand, customers who moved. */
export async function changeCatalog(pool: Pool): Promise<number> {
  return withTransaction(pool, async (client) => {
    let changed = 0;
    const run = async (sql: string): Promise<void> => {
      changed += (await client.query(sql)).rowCount ?? 0;
    };
    await run(`update raw.prestashop_stock_availables set payload = payload || jsonb_build_object('quantity', (payload ->> 'quantity')::int + 5) where id % 100 = 37`);
    await run(`update raw.prestashop_categories set payload = payload || jsonb_build_object('name', jsonb_build_array(jsonb_build_object('id', '1', 'value', 'Renamed'))) where id = 17`);
    await run(`update raw.prestashop_manufacturers set payload = payload || jsonb_build_object('name', 'Renamed brand') where id = 7`);
    await run(`update raw.prestashop_addresses set payload = payload || jsonb_build_object('id_country', 1 + (id + 1) % 20) where id % 10000 = 37`);
    // As the raw writer does: a new payload gets its hash, which is what stamps the row as changed (migration 007).
    for (const table of ['stock_availables', 'categories', 'manufacturers', 'addresses']) {
      await client.query(
        `update raw.prestashop_${table} set payload_sha256 = sha256(convert_to(payload::text, 'UTF8'))
         where payload_sha256 <> sha256(convert_to(payload::text, 'UTF8'))`,
      );
    }
    return changed;
  });
}
