-- fact_order_lines: the lines of the orders in fact_orders; a changed order's lines are replaced whole.
delete from analytics.fact_order_lines as fact
using chg_orders as chg
where fact.order_id = chg.order_id;

insert into analytics.fact_order_lines (
  order_line_id, order_id, product_id, product_attribute_id, order_date, quantity, product_name, product_reference,
  unit_price_tax_excl, unit_price_tax_incl, line_total_tax_excl, line_revenue_tax_excl
)
with lines as (
  select
    stg.order_line_id, stg.order_id, stg.product_id, stg.product_attribute_id, stg.quantity, stg.product_name,
    stg.product_reference, stg.unit_price_tax_excl, stg.unit_price_tax_incl
  from staging.stg_order_lines as stg
  inner join chg_orders as chg on chg.order_id = stg.order_id
),

orders as (
  select fact.order_id, fact.order_date, fact.conversion_rate
  from analytics.fact_orders as fact
  inner join chg_orders as chg on chg.order_id = fact.order_id
),

priced as (
  select
    lines.order_line_id, lines.order_id, lines.product_id, lines.product_attribute_id, orders.order_date,
    lines.quantity, lines.product_name, lines.product_reference, lines.unit_price_tax_excl, lines.unit_price_tax_incl,
    lines.unit_price_tax_excl * lines.quantity as line_total_tax_excl,
    trim_scale(lines.unit_price_tax_excl * lines.quantity / nullif(orders.conversion_rate, 0)) as line_revenue_tax_excl
  from lines
  inner join orders on orders.order_id = lines.order_id
)

select
  priced.order_line_id, priced.order_id, priced.product_id, priced.product_attribute_id, priced.order_date,
  priced.quantity, priced.product_name, priced.product_reference, priced.unit_price_tax_excl,
  priced.unit_price_tax_incl, priced.line_total_tax_excl, priced.line_revenue_tax_excl
from priced;
