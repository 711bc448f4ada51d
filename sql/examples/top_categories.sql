-- Revenue by product category (each product counted in its default category) over the 90 days up to the last day
-- with orders, valid orders only, with the share of the period's revenue.
with period as (
  select max(kpi.sales_date) - 89 as first_day, max(kpi.sales_date) as last_day
  from analytics.kpi_daily_sales as kpi
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
),

category_sales as (
  select
    coalesce(product.category_path, '(unknown category)') as category_path,
    sum(line.quantity) as units,
    sum(line.line_revenue_tax_excl) as revenue_tax_excl
  from analytics.fact_order_lines as line
  inner join analytics.fact_orders as orders on orders.order_id = line.order_id and orders.is_valid
  cross join period
  left join analytics.dim_product as product on product.product_id = line.product_id
  where line.order_date between period.first_day and period.last_day
  group by coalesce(product.category_path, '(unknown category)')
)

select
  category_sales.category_path,
  category_sales.units,
  round(category_sales.revenue_tax_excl, money.decimals) as revenue_tax_excl,
  round(category_sales.revenue_tax_excl / nullif(sum(category_sales.revenue_tax_excl) over (), 0), 4) as revenue_share
from category_sales
cross join money
order by category_sales.revenue_tax_excl desc nulls last, category_sales.category_path;
