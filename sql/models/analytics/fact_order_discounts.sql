-- fact_order_discounts: one row per voucher (cart rule) an order of fact_orders holds (order_cart_rule), its value
-- tax excluded divided by the order's conversion_rate. Vouchers the shop flags deleted (removed from the order)
-- are left out. Rebuilt for the changed orders: a changed voucher makes its order a changed order.
delete from analytics.fact_order_discounts as fact
using chg_orders as chg
where fact.order_id = chg.order_id;

insert into analytics.fact_order_discounts (order_cart_rule_id, order_id, cart_rule_id, name, value_tax_excl)
select
  raw_rules.id,
  orders.order_id,
  staging.ps_id(fields.id_cart_rule),
  nullif(fields.name, ''),
  trim_scale(staging.ps_numeric(fields.value_tax_excl) / nullif(orders.conversion_rate, 0))
from analytics.fact_orders as orders
inner join chg_orders as chg on chg.order_id = orders.order_id
inner join raw.prestashop_order_cart_rules as raw_rules on raw_rules.parent_id = orders.order_id
cross join lateral jsonb_to_record(raw_rules.payload) as fields (id_cart_rule text, name text, value_tax_excl text, deleted text)
where raw_rules.deleted_at is null
  and not coalesce(staging.ps_bool(fields.deleted), false);
