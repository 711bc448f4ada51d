-- Valid orders and revenue by delivery country over the 90 days up to the last day with orders. The ISO code is
-- what map charts (Metabase, Power BI) expect.
with period as (
  select max(kpi.sales_date) - 89 as first_day, max(kpi.sales_date) as last_day
  from analytics.kpi_daily_sales as kpi
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
),

country_sales as (
  select
    orders.delivery_country_iso,
    coalesce(orders.delivery_country_name, '(unknown country)') as country_name,
    count(*) as valid_orders,
    count(distinct orders.customer_id) as customers,
    sum(orders.revenue_tax_excl) as revenue_tax_excl
  from analytics.fact_orders as orders
  cross join period
  where orders.is_valid and orders.order_date between period.first_day and period.last_day
  group by orders.delivery_country_iso, coalesce(orders.delivery_country_name, '(unknown country)')
)

select
  country_sales.delivery_country_iso,
  country_sales.country_name,
  country_sales.valid_orders,
  country_sales.customers,
  round(country_sales.revenue_tax_excl, money.decimals) as revenue_tax_excl
from country_sales
cross join money
order by country_sales.revenue_tax_excl desc nulls last, country_sales.country_name;
