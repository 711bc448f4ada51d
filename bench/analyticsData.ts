import type { Pool } from 'pg';
import { withTransaction } from '../shared/db/transaction';

const CHUNK = 100_000;

/** Raw customers, products and orders generated inside PostgreSQL, shaped like the shop's JSON payloads. */
export async function generate(pool: Pool, orders: number, progress: (line: string) => void = () => undefined): Promise<{ customers: number; products: number }> {
  const customers = Math.max(100, Math.round(orders / 5));
  const products = 2000;
  await pool.query(
    `insert into raw.prestashop_customers (id, payload, payload_sha256, date_upd_local)
     select c.id, c.payload, sha256(convert_to(c.payload::text, 'UTF8')), (c.payload ->> 'date_upd')::timestamp
     from (
       select g.id, jsonb_build_object(
         'id', g.id, 'id_default_group', '3', 'id_lang', '1', 'newsletter_date_add', '0000-00-00 00:00:00',
         'deleted', case when g.id % 50 = 0 then '1' else '0' end, 'lastname', 'Doe', 'firstname', 'Jane',
         'email', 'c' || g.id || '@example.com', 'id_gender', '', 'birthday', '0000-00-00', 'newsletter', '0',
         'optin', '0', 'active', '1', 'is_guest', case when g.id % 4 = 0 then '1' else '0' end, 'id_shop', '1',
         'id_shop_group', '1', 'date_add', '2022-12-01 10:00:00', 'date_upd', '2022-12-01 10:00:00') as payload
       from generate_series(1, $1::int) as g (id)
     ) as c`,
    [customers],
  );
  await pool.query(
    `insert into raw.prestashop_products (id, payload, payload_sha256, date_upd_local)
     select p.id, p.payload, sha256(convert_to(p.payload::text, 'UTF8')), (p.payload ->> 'date_upd')::timestamp
     from (
       select g.id, jsonb_build_object(
         'id', g.id, 'id_manufacturer', (1 + g.id % 20)::text, 'id_supplier', '', 'id_category_default', (13 + g.id % 48)::text, 'reference', 'demo_' || g.id,
         'price', ((g.id % 100) + 1)::numeric(20, 6)::text, 'wholesale_price', '0.000000', 'active', '1', 'is_virtual', '0',
         'state', '1', 'product_type', 'standard', 'date_add', '2022-01-01 10:00:00', 'date_upd', '2022-01-01 10:00:00',
         'name', jsonb_build_array(jsonb_build_object('id', '1', 'value', 'Product ' || g.id),
                                   jsonb_build_object('id', '2', 'value', 'Produit ' || g.id))) as payload
       from generate_series(1, $1::int) as g (id)
     ) as p`,
    [products],
  );
  for (let lo = 1; lo <= orders; lo += CHUNK) {
    const hi = Math.min(orders, lo + CHUNK - 1);
    await pool.query(
      `insert into raw.prestashop_orders (id, payload, payload_sha256, date_upd_local)
       select o.id, o.payload, sha256(convert_to(o.payload::text, 'UTF8')), (o.payload ->> 'date_upd')::timestamp
       from (
         select g.id, jsonb_build_object(
           'id', g.id, 'id_address_delivery', (1 + (g.id * 7919) % $3::bigint)::text, 'id_address_invoice', '5', 'id_cart', g.id::text,
           'id_currency', (1 + g.id % 3)::text, 'id_lang', '1',
           'id_customer', (1 + (g.id * 7919) % $3::bigint)::text, 'id_carrier', (1 + g.id % 4)::text,
           'current_state', case when g.id % 10 < 7 then '2' else '6' end, 'module', 'ps_checkpayment',
           'invoice_number', '0', 'invoice_date', '0000-00-00 00:00:00', 'delivery_number', '0',
           'delivery_date', '0000-00-00 00:00:00', 'valid', case when g.id % 10 < 7 then '1' else '0' end,
           'date_add', to_char(timestamp '2023-01-01' + g.id * ($4::float8 * interval '1 second'), 'YYYY-MM-DD HH24:MI:SS'),
           'date_upd', to_char(timestamp '2023-01-01' + g.id * ($4::float8 * interval '1 second'), 'YYYY-MM-DD HH24:MI:SS'),
           'shipping_number', '', 'id_shop_group', '1', 'id_shop', '1', 'payment', 'Payment by check',
           'total_discounts_tax_excl', '0.000000', 'total_paid_tax_incl', (lines.total * 1.2)::numeric(20, 6)::text,
           'total_paid_tax_excl', lines.total::numeric(20, 6)::text, 'total_paid_real', case when g.id % 10 < 7 then (lines.total * 1.2)::numeric(20, 6)::text else '0.000000' end,
           'total_products', lines.total::numeric(20, 6)::text, 'total_products_wt', (lines.total * 1.2)::numeric(20, 6)::text,
           'total_shipping_tax_excl', '0.000000', 'total_wrapping_tax_excl', '0.000000',
           'conversion_rate', (array['1.000000', '1.250000', '0.850000'])[(1 + g.id % 3)::int], 'reference', 'REF' || g.id,
           'associations', jsonb_build_object('order_rows', lines.order_rows)) as payload
         from generate_series($1::bigint, $2::bigint) as g (id)
         cross join lateral (
           select
             jsonb_agg(jsonb_build_object(
               'id', (g.id * 10 + item.k)::text, 'product_id', item.product_id::text, 'product_attribute_id', '0',
               'product_quantity', item.quantity::text, 'product_name', 'Product ' || item.product_id,
               'product_reference', 'demo_' || item.product_id, 'product_price', item.price::numeric(20, 6)::text,
               'id_customization', '0', 'unit_price_tax_incl', (item.price * 1.2)::numeric(20, 6)::text,
               'unit_price_tax_excl', item.price::numeric(20, 6)::text)) as order_rows,
             sum(item.price * item.quantity) as total
           from (
             select k, 1 + (g.id * 31 + k * 17) % $5::int as product_id, 1 + (g.id + k) % 3 as quantity,
                    ((g.id * 13 + k * 7) % 10000) / 100.0 + 1 as price
             from generate_series(1, 1 + g.id % 3) as k
           ) as item
         ) as lines
       ) as o`,
      [lo, hi, customers, (3 * 365 * 86400) / orders, products],
    );
    progress(`generated orders ${lo}..${hi}`);
  }
  return { customers, products };
}

/** 1% of the orders change, spread over the whole history, the way the sync writes them (fenced and stamped). */
export async function changeOnePercent(pool: Pool, customers: number): Promise<number> {
  return withTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      `update raw.prestashop_orders as o
       set payload = o.payload
             || jsonb_build_object(
                  'valid', case when o.payload ->> 'valid' = '1' then '0' else '1' end,
                  'total_paid_tax_excl', ((o.payload ->> 'total_paid_tax_excl')::numeric + 1)::numeric(20, 6)::text,
                  'id_customer', case when o.id % 3 = 0 then (1 + (o.id * 104729) % $1::bigint)::text else o.payload ->> 'id_customer' end,
                  'date_add', case when o.id % 5 = 0
                    then to_char((o.payload ->> 'date_add')::timestamp + interval '1 day', 'YYYY-MM-DD HH24:MI:SS')
                    else o.payload ->> 'date_add' end),
           last_changed_at = clock_timestamp()
       where o.id % 100 = 37`,
      [customers],
    );
    return rowCount ?? 0;
  });
}

