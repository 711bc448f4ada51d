import type { Pool } from 'pg';
import { withTransaction } from '../shared/db/transaction';

const CHUNK = 100_000;
const FROM_ORDERS = 'from raw.prestashop_orders as o';

const insert = (table: string, parent: boolean, select: string): string =>
  `insert into raw.${table} (id, payload, payload_sha256, date_upd_local${parent ? ', parent_id' : ''})
   select d.id, d.payload, sha256(convert_to(d.payload::text, 'UTF8')), (d.payload ->> 'date_add')::timestamp${parent ? ', d.parent_id' : ''}
   from (${select}) as d`;

/**
 * The order documents of the generated orders, shaped like the shop's JSON: an order detail per line (a cost for
 * nine products in ten), a payment per valid order (its total_paid_real, in the order's currency), paid and shipped
 * history entries per valid order, a voucher on one order in twenty and a one-unit refund slip on one in fifty.
 * Consistent, as a shop keeps them: the revenue warnings find only the lines without a cost.
 */
export async function generateDocuments(pool: Pool, orders: number, progress: (line: string) => void = () => undefined): Promise<void> {
  for (let lo = 1; lo <= orders; lo += CHUNK) {
    const params = [lo, Math.min(orders, lo + CHUNK - 1)];
    const scope = `${FROM_ORDERS} where o.id between $1 and $2`;
    await pool.query(
      insert('prestashop_order_details', true, `
        select (row ->> 'id')::bigint as id, o.id as parent_id, jsonb_build_object(
          'id', row ->> 'id', 'id_order', o.id::text, 'product_id', row ->> 'product_id', 'product_attribute_id', '0',
          'product_quantity', row ->> 'product_quantity', 'unit_price_tax_excl', row ->> 'unit_price_tax_excl',
          'purchase_supplier_price', case when (row ->> 'product_id')::int % 10 = 0 then '0.000000'
            else ((row ->> 'unit_price_tax_excl')::numeric * 0.4)::numeric(20, 6)::text end,
          'original_wholesale_price', '0.000000',
          'product_quantity_refunded', case when o.id % 50 = 7 and row ->> 'id' = (o.id * 10 + 1)::text then '1' else '0' end,
          'product_quantity_return', '0',
          'total_refunded_tax_excl', case when o.id % 50 = 7 and row ->> 'id' = (o.id * 10 + 1)::text then row ->> 'unit_price_tax_excl' else '0.000000' end,
          'date_add', o.payload ->> 'date_add') as payload
        ${FROM_ORDERS} cross join lateral jsonb_array_elements(o.payload -> 'associations' -> 'order_rows') as row
        where o.id between $1 and $2`),
      params,
    );
    await pool.query(
      insert('prestashop_order_payments', false, `
        select o.id, jsonb_build_object('id', o.id, 'order_reference', o.payload ->> 'reference', 'id_currency', o.payload ->> 'id_currency',
          'amount', o.payload ->> 'total_paid_real', 'payment_method', 'Bank wire', 'conversion_rate', o.payload ->> 'conversion_rate',
          'date_add', o.payload ->> 'date_add') as payload
        ${scope} and o.payload ->> 'valid' = '1'`),
      params,
    );
    await pool.query(
      insert('prestashop_order_histories', false, `
        select o.id * 10 + s.k as id, jsonb_build_object('id', o.id * 10 + s.k, 'id_order', o.id, 'id_order_state', s.state,
          'date_add', to_char((o.payload ->> 'date_add')::timestamp + s.after, 'YYYY-MM-DD HH24:MI:SS')) as payload
        ${FROM_ORDERS} cross join (values (1, 2, interval '1 hour'), (2, 4, interval '1 day 3 hours')) as s (k, state, after)
        where o.id between $1 and $2 and o.payload ->> 'valid' = '1'`),
      params,
    );
    await pool.query(
      insert('prestashop_order_cart_rules', true, `
        select o.id, o.id as parent_id, jsonb_build_object('id', o.id, 'id_order', o.id, 'id_cart_rule', 1, 'name', 'Free shipping',
          'value', '0.000000', 'value_tax_excl', '0.000000', 'free_shipping', '1', 'deleted', '0', 'date_add', o.payload ->> 'date_add') as payload
        ${scope} and o.id % 20 = 3`),
      params,
    );
    await pool.query(insert('prestashop_order_slips', false, slipSelect('o.id between $1 and $2 and o.id % 50 = 7', "interval '3 days'")), params);
    progress(`generated documents of orders ${params[0]}..${params[1]}`);
  }
}

/** A one-unit refund of the first line (id order * 10 + 1) of the orders matching `where`, `after` the order. */
const slipSelect = (where: string, after: string): string => `
  select o.id, jsonb_build_object('id', o.id, 'id_order', o.id, 'id_customer', o.payload ->> 'id_customer',
    'conversion_rate', o.payload ->> 'conversion_rate', 'total_products_tax_excl', row ->> 'unit_price_tax_excl',
    'total_shipping_tax_excl', '0.000000', 'date_add', to_char((o.payload ->> 'date_add')::timestamp + ${after}, 'YYYY-MM-DD HH24:MI:SS'),
    'associations', jsonb_build_object('order_slip_details', jsonb_build_array(jsonb_build_object(
      'id', o.id, 'id_order_detail', row ->> 'id', 'product_quantity', '1', 'amount_tax_excl', row ->> 'unit_price_tax_excl')))) as payload
  from raw.prestashop_orders as o cross join lateral jsonb_array_elements(o.payload -> 'associations' -> 'order_rows') as row
  where ${where} and row ->> 'id' = (o.id * 10 + 1)::text`;

/**
 * A day's documents: the changed orders (id % 100 = 37) are shipped (a history entry each), and one order in a
 * thousand gets a refund slip dated a week after it, with its line's refund, written the way the sync writes.
 */
export async function changeDocuments(pool: Pool): Promise<number> {
  return withTransaction(pool, async (client) => {
    const histories = await client.query(
      `insert into raw.prestashop_order_histories (id, payload, payload_sha256, date_upd_local)
       select o.id * 10 + 3, p.payload, sha256(convert_to(p.payload::text, 'UTF8')), (p.payload ->> 'date_add')::timestamp
       from raw.prestashop_orders as o
       cross join lateral (select jsonb_build_object('id', o.id * 10 + 3, 'id_order', o.id, 'id_order_state', 5,
         'date_add', to_char((o.payload ->> 'date_add')::timestamp + interval '2 days', 'YYYY-MM-DD HH24:MI:SS')) as payload) as p
       where o.id % 100 = 37`,
    );
    const slips = await client.query(insert('prestashop_order_slips', false, slipSelect('o.id % 1000 = 211', "interval '7 days'")));
    const details = await client.query(
      `update raw.prestashop_order_details as d
       set payload = d.payload || jsonb_build_object('product_quantity_refunded', '1', 'total_refunded_tax_excl', d.payload ->> 'unit_price_tax_excl')
       where d.parent_id % 1000 = 211 and d.id = d.parent_id * 10 + 1`,
    );
    return (histories.rowCount ?? 0) + (slips.rowCount ?? 0) + (details.rowCount ?? 0);
  });
}
