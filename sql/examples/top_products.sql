-- Top 10 products by revenue over the 90 days up to the last day with orders (valid orders only), with units sold
-- and their default category. Products the shop has deleted keep the name they were ordered under.
with period as (
  select max(kpi.sales_date) - 89 as first_day, max(kpi.sales_date) as last_day
  from analytics.kpi_daily_sales as kpi
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
),

product_sales as (
  select
    line.product_id,
    max(line.product_name) as ordered_name,
    sum(line.quantity) as units,
    sum(line.line_revenue_tax_excl) as revenue_tax_excl
  from analytics.fact_order_lines as line
  inner join analytics.fact_orders as orders on orders.order_id = line.order_id and orders.is_valid
  cross join period
  where line.order_date between period.first_day and period.last_day
  group by line.product_id
)

select
  product_sales.product_id,
  coalesce(product.product_name, product_sales.ordered_name) as product_name,
  product.category_default_name,
  product_sales.units,
  round(product_sales.revenue_tax_excl, money.decimals) as revenue_tax_excl
from product_sales
cross join money
left join analytics.dim_product as product on product.product_id = product_sales.product_id
order by product_sales.revenue_tax_excl desc nulls last, product_sales.product_id
limit 10;
