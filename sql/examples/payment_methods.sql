-- Payment methods and carriers: valid orders and revenue by payment method and by carrier over the 90 days up to the
-- last day with orders, with each one's share of the orders. Carriers are grouped by name (PrestaShop gives an
-- edited carrier a new id; carrier_reference_id in dim_carrier groups its versions).
with period as (
  select max(kpi.sales_date) - 89 as first_day, max(kpi.sales_date) as last_day
  from analytics.kpi_daily_sales as kpi
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
),

recent as (
  select orders.payment_method, orders.carrier_name, orders.revenue_tax_excl
  from analytics.fact_orders as orders
  cross join period
  where orders.is_valid and orders.order_date between period.first_day and period.last_day
),

grouped as (
  select 'payment' as dimension, coalesce(recent.payment_method, '(none)') as name, count(*) as valid_orders,
    sum(recent.revenue_tax_excl) as revenue_tax_excl
  from recent
  group by coalesce(recent.payment_method, '(none)')
  union all
  select 'carrier', coalesce(recent.carrier_name, '(unknown carrier)'), count(*), sum(recent.revenue_tax_excl)
  from recent
  group by coalesce(recent.carrier_name, '(unknown carrier)')
)

select
  grouped.dimension,
  grouped.name,
  grouped.valid_orders,
  round(grouped.valid_orders::numeric / sum(grouped.valid_orders) over (partition by grouped.dimension), 4) as order_share,
  round(grouped.revenue_tax_excl, money.decimals) as revenue_tax_excl
from grouped
cross join money
order by grouped.dimension, grouped.valid_orders desc, grouped.name;
