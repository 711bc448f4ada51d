-- kpi_daily_sales, corrected by difference: minus what the changed orders (and their customers' first valid
-- orders, and their credit slips on the slips' days) contributed before, plus what they contribute now. Days left
-- with no order and no refund are removed.
create temp table kpi_deltas on commit drop as
with order_deltas as (
  select before_orders.order_date as sales_date, -1 as sign, before_orders.is_valid, before_orders.revenue_tax_excl,
    before_orders.gross_sales_tax_excl, before_orders.discounts_tax_excl, before_orders.shipping_tax_excl,
    before_orders.units, before_orders.gross_margin_tax_excl
  from before_orders
  union all
  select after_orders.order_date, 1, after_orders.is_valid, after_orders.revenue_tax_excl,
    after_orders.gross_sales_tax_excl, after_orders.discounts_tax_excl, after_orders.shipping_tax_excl,
    after_orders.units, after_orders.gross_margin_tax_excl
  from after_orders
),

all_deltas as (
  select order_deltas.sales_date,
    order_deltas.sign as orders_delta,
    case when order_deltas.is_valid then order_deltas.sign else 0 end as valid_delta,
    case when order_deltas.is_valid then order_deltas.sign * coalesce(order_deltas.revenue_tax_excl, 0) else 0 end as revenue_delta,
    0 as new_customers_delta,
    case when order_deltas.is_valid then order_deltas.sign * coalesce(order_deltas.gross_sales_tax_excl, 0) else 0 end as gross_delta,
    case when order_deltas.is_valid then order_deltas.sign * coalesce(order_deltas.discounts_tax_excl, 0) else 0 end as discounts_delta,
    case when order_deltas.is_valid then order_deltas.sign * coalesce(order_deltas.shipping_tax_excl, 0) else 0 end as shipping_delta,
    case when order_deltas.is_valid then order_deltas.sign * order_deltas.units else 0 end as units_delta,
    0 as refunds_delta,
    case when order_deltas.is_valid then order_deltas.sign * coalesce(order_deltas.gross_margin_tax_excl, 0) else 0 end as margin_delta,
    case when order_deltas.is_valid and order_deltas.gross_margin_tax_excl is null then order_deltas.sign else 0 end as without_cost_delta
  from order_deltas
  union all
  select before_first_valid.first_valid_order_date, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0
  from before_first_valid
  union all
  select after_first_valid.first_valid_order_date, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0
  from after_first_valid
  union all
  select before_refunds.refund_date, 0, 0, 0, 0, 0, 0, 0, 0, -coalesce(before_refunds.products_tax_excl, 0), 0, 0
  from before_refunds
  union all
  select after_refunds.refund_date, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(after_refunds.products_tax_excl, 0), 0, 0
  from after_refunds
)

select
  all_deltas.sales_date,
  sum(all_deltas.orders_delta)::integer as orders_delta,
  sum(all_deltas.valid_delta)::integer as valid_delta,
  sum(all_deltas.revenue_delta) as revenue_delta,
  sum(all_deltas.new_customers_delta)::integer as new_customers_delta,
  sum(all_deltas.gross_delta) as gross_delta,
  sum(all_deltas.discounts_delta) as discounts_delta,
  sum(all_deltas.shipping_delta) as shipping_delta,
  sum(all_deltas.units_delta)::bigint as units_delta,
  sum(all_deltas.refunds_delta) as refunds_delta,
  sum(all_deltas.margin_delta) as margin_delta,
  sum(all_deltas.without_cost_delta)::integer as without_cost_delta
from all_deltas
where all_deltas.sales_date is not null
group by all_deltas.sales_date;

insert into analytics.kpi_daily_sales as kpi (
  sales_date, orders_count, valid_orders, revenue_tax_excl, avg_order_value, new_customers,
  gross_sales_tax_excl, discounts_tax_excl, shipping_tax_excl, units_sold, refunds_tax_excl, net_sales_tax_excl,
  gross_margin_tax_excl, orders_without_cost
)
select
  kpi_deltas.sales_date, kpi_deltas.orders_delta, kpi_deltas.valid_delta, kpi_deltas.revenue_delta, null,
  kpi_deltas.new_customers_delta, kpi_deltas.gross_delta, kpi_deltas.discounts_delta, kpi_deltas.shipping_delta,
  kpi_deltas.units_delta, kpi_deltas.refunds_delta, 0, kpi_deltas.margin_delta, kpi_deltas.without_cost_delta
from kpi_deltas
on conflict (sales_date) do update set
  orders_count = kpi.orders_count + excluded.orders_count,
  valid_orders = kpi.valid_orders + excluded.valid_orders,
  revenue_tax_excl = kpi.revenue_tax_excl + excluded.revenue_tax_excl,
  new_customers = kpi.new_customers + excluded.new_customers,
  gross_sales_tax_excl = kpi.gross_sales_tax_excl + excluded.gross_sales_tax_excl,
  discounts_tax_excl = kpi.discounts_tax_excl + excluded.discounts_tax_excl,
  shipping_tax_excl = kpi.shipping_tax_excl + excluded.shipping_tax_excl,
  units_sold = kpi.units_sold + excluded.units_sold,
  refunds_tax_excl = kpi.refunds_tax_excl + excluded.refunds_tax_excl,
  gross_margin_tax_excl = kpi.gross_margin_tax_excl + excluded.gross_margin_tax_excl,
  orders_without_cost = kpi.orders_without_cost + excluded.orders_without_cost;

delete from analytics.kpi_daily_sales as kpi
using kpi_deltas
where kpi.sales_date = kpi_deltas.sales_date
  and kpi.orders_count = 0
  and kpi.refunds_tax_excl = 0;

update analytics.kpi_daily_sales as kpi
set
  revenue_tax_excl = trim_scale(kpi.revenue_tax_excl),
  avg_order_value = trim_scale(kpi.revenue_tax_excl / nullif(kpi.valid_orders, 0)),
  gross_sales_tax_excl = trim_scale(kpi.gross_sales_tax_excl),
  discounts_tax_excl = trim_scale(kpi.discounts_tax_excl),
  shipping_tax_excl = trim_scale(kpi.shipping_tax_excl),
  refunds_tax_excl = trim_scale(kpi.refunds_tax_excl),
  net_sales_tax_excl = trim_scale(kpi.gross_sales_tax_excl - kpi.discounts_tax_excl - kpi.refunds_tax_excl),
  gross_margin_tax_excl = trim_scale(kpi.gross_margin_tax_excl)
from kpi_deltas
where kpi.sales_date = kpi_deltas.sales_date;
