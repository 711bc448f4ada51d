-- kpi_daily_sales, corrected by difference: minus what the changed orders (and their customers' first valid
-- orders) contributed before, plus what they contribute now. Days left with no order are removed.
create temp table kpi_deltas on commit drop as
with order_deltas as (
  select before_orders.order_date as sales_date, -1 as orders_delta,
    case when before_orders.is_valid then -1 else 0 end as valid_delta,
    case when before_orders.is_valid then -coalesce(before_orders.revenue_tax_excl, 0) else 0 end as revenue_delta,
    0 as new_customers_delta
  from before_orders
  union all
  select after_orders.order_date, 1,
    case when after_orders.is_valid then 1 else 0 end,
    case when after_orders.is_valid then coalesce(after_orders.revenue_tax_excl, 0) else 0 end,
    0
  from after_orders
),

new_customer_deltas as (
  select before_first_valid.first_valid_order_date as sales_date, 0 as orders_delta, 0 as valid_delta,
    0 as revenue_delta, -1 as new_customers_delta
  from before_first_valid
  union all
  select after_first_valid.first_valid_order_date, 0, 0, 0, 1
  from after_first_valid
),

all_deltas as (
  select order_deltas.sales_date, order_deltas.orders_delta, order_deltas.valid_delta, order_deltas.revenue_delta,
    order_deltas.new_customers_delta
  from order_deltas
  union all
  select new_customer_deltas.sales_date, new_customer_deltas.orders_delta, new_customer_deltas.valid_delta,
    new_customer_deltas.revenue_delta, new_customer_deltas.new_customers_delta
  from new_customer_deltas
)

select
  all_deltas.sales_date,
  sum(all_deltas.orders_delta)::integer as orders_delta,
  sum(all_deltas.valid_delta)::integer as valid_delta,
  sum(all_deltas.revenue_delta) as revenue_delta,
  sum(all_deltas.new_customers_delta)::integer as new_customers_delta
from all_deltas
where all_deltas.sales_date is not null
group by all_deltas.sales_date;

insert into analytics.kpi_daily_sales as kpi (
  sales_date, orders_count, valid_orders, revenue_tax_excl, avg_order_value, new_customers
)
select
  kpi_deltas.sales_date, kpi_deltas.orders_delta, kpi_deltas.valid_delta, kpi_deltas.revenue_delta, null,
  kpi_deltas.new_customers_delta
from kpi_deltas
on conflict (sales_date) do update set
  orders_count = kpi.orders_count + excluded.orders_count,
  valid_orders = kpi.valid_orders + excluded.valid_orders,
  revenue_tax_excl = kpi.revenue_tax_excl + excluded.revenue_tax_excl,
  new_customers = kpi.new_customers + excluded.new_customers;

delete from analytics.kpi_daily_sales as kpi
using kpi_deltas
where kpi.sales_date = kpi_deltas.sales_date
  and kpi.orders_count = 0;

update analytics.kpi_daily_sales as kpi
set
  revenue_tax_excl = trim_scale(kpi.revenue_tax_excl),
  avg_order_value = trim_scale(kpi.revenue_tax_excl / nullif(kpi.valid_orders, 0))
from kpi_deltas
where kpi.sales_date = kpi_deltas.sales_date;
