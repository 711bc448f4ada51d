-- fact_orders: every order whose raw row is not deleted, valid or not, whatever became of its customer.
-- revenue_tax_excl = total_paid_tax_excl / conversion_rate, in the default currency, exact NUMERIC
-- (trim_scale drops the trailing zeros of the division so equal values print the same). The delivery country comes
-- through the delivery address, the carrier's name from dim_carrier (refresh/expand_changed_keys.sql refreshes the
-- orders of a moved address or a renamed carrier or country). Gross sales, discounts and shipping are the order's
-- totals divided by its conversion_rate; refunded_tax_excl sums its credit slips (fact_refunds, each divided by the
-- slip's rate); paid_at, shipped_at and delivered_at are the first status change into a state flagged paid, shipped,
-- delivery (fact_order_status_changes, dim_order_state). cost_of_goods and gross_margin_tax_excl are filled by
-- fact_order_lines.sql once the lines carry their cost.
delete from analytics.fact_orders as fact
using chg_orders as chg
where fact.order_id = chg.order_id;

insert into analytics.fact_orders (
  order_id, customer_id, order_date, ordered_at_local, ordered_at, reference, current_state_id, is_valid,
  currency_id, conversion_rate, total_paid_tax_incl, total_paid_tax_excl, total_products,
  total_shipping_tax_excl, total_discounts_tax_excl, revenue_tax_excl,
  delivery_address_id, delivery_country_id, delivery_country_iso, delivery_country_name, payment_method,
  payment_module, carrier_id, carrier_name,
  gross_sales_tax_excl, discounts_tax_excl, shipping_tax_excl, refunded_tax_excl, paid_at, shipped_at, delivered_at
)
with orders as (
  select
    stg.order_id, stg.customer_id, stg.order_date, stg.created_at_local, stg.created_at, stg.reference,
    stg.current_state_id, stg.is_valid, stg.currency_id, stg.conversion_rate, stg.total_paid_tax_incl,
    stg.total_paid_tax_excl, stg.total_products, stg.total_shipping_tax_excl, stg.total_discounts_tax_excl,
    stg.raw_deleted_at, stg.address_delivery_id, stg.payment, stg.module, stg.carrier_id
  from staging.stg_orders as stg
  inner join chg_orders as chg on chg.order_id = stg.order_id
),

current_orders as (
  select
    orders.order_id, orders.customer_id, orders.order_date, orders.created_at_local, orders.created_at,
    orders.reference, orders.current_state_id, orders.is_valid, orders.currency_id, orders.conversion_rate,
    orders.total_paid_tax_incl, orders.total_paid_tax_excl, orders.total_products, orders.total_shipping_tax_excl,
    orders.total_discounts_tax_excl, orders.address_delivery_id, orders.payment, orders.module, orders.carrier_id
  from orders
  where orders.raw_deleted_at is null
),

converted as (
  select
    current_orders.order_id,
    trim_scale(current_orders.total_paid_tax_excl / nullif(current_orders.conversion_rate, 0)) as revenue_tax_excl,
    trim_scale(current_orders.total_products / nullif(current_orders.conversion_rate, 0)) as gross_sales_tax_excl,
    trim_scale(current_orders.total_discounts_tax_excl / nullif(current_orders.conversion_rate, 0)) as discounts_tax_excl,
    trim_scale(current_orders.total_shipping_tax_excl / nullif(current_orders.conversion_rate, 0)) as shipping_tax_excl
  from current_orders
),

refunds as (
  select fact.order_id, trim_scale(sum(fact.products_tax_excl)) as refunded_tax_excl
  from analytics.fact_refunds as fact
  inner join current_orders on current_orders.order_id = fact.order_id
  group by fact.order_id
),

milestones as (
  select
    changes.order_id,
    min(changes.changed_at) filter (where state.is_paid) as paid_at,
    min(changes.changed_at) filter (where state.is_shipped) as shipped_at,
    min(changes.changed_at) filter (where state.is_delivery) as delivered_at
  from analytics.fact_order_status_changes as changes
  inner join current_orders on current_orders.order_id = changes.order_id
  inner join analytics.dim_order_state as state on state.order_state_id = changes.state_id
  group by changes.order_id
)

select
  current_orders.order_id, current_orders.customer_id, current_orders.order_date, current_orders.created_at_local,
  current_orders.created_at, current_orders.reference, current_orders.current_state_id, current_orders.is_valid,
  current_orders.currency_id, current_orders.conversion_rate, current_orders.total_paid_tax_incl,
  current_orders.total_paid_tax_excl, current_orders.total_products, current_orders.total_shipping_tax_excl,
  current_orders.total_discounts_tax_excl, converted.revenue_tax_excl,
  current_orders.address_delivery_id, address.country_id, country.iso_code, country.country_name,
  current_orders.payment, current_orders.module, current_orders.carrier_id, carrier.carrier_name,
  converted.gross_sales_tax_excl, converted.discounts_tax_excl, converted.shipping_tax_excl,
  coalesce(refunds.refunded_tax_excl, 0), milestones.paid_at, milestones.shipped_at, milestones.delivered_at
from current_orders
inner join converted on converted.order_id = current_orders.order_id
left join refunds on refunds.order_id = current_orders.order_id
left join milestones on milestones.order_id = current_orders.order_id
left join staging.stg_addresses as address on address.address_id = current_orders.address_delivery_id
left join analytics.dim_country as country on country.country_id = address.country_id
left join analytics.dim_carrier as carrier on carrier.carrier_id = current_orders.carrier_id;
