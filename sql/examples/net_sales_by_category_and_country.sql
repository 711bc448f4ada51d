-- Net sales by product category and delivery country for the latest month with sales (month to date when it is the
-- current month; change `period` for another one), valid orders only. A line's net sales are its revenue, less its
-- share of its order's discounts (in proportion to the line's revenue) and less what was refunded on it. Refunds
-- count on the order's month here; analytics.kpi_daily_sales counts them on the credit slip's day instead.
with period as (
  select
    date_trunc('month', max(kpi.sales_date))::date as first_day,
    (date_trunc('month', max(kpi.sales_date)) + interval '1 month - 1 day')::date as last_day
  from analytics.kpi_daily_sales as kpi
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
),

lines as (
  select
    line.line_revenue_tax_excl,
    coalesce(line.refunded_tax_excl, 0) as refunded_tax_excl,
    coalesce(orders.discounts_tax_excl, 0) * line.line_revenue_tax_excl
      / nullif(sum(line.line_revenue_tax_excl) over (partition by line.order_id), 0) as discount_share_tax_excl,
    coalesce(product.category_path, '(unknown category)') as category_path,
    coalesce(orders.delivery_country_name, '(unknown country)') as country_name
  from analytics.fact_order_lines as line
  inner join analytics.fact_orders as orders on orders.order_id = line.order_id and orders.is_valid
  cross join period
  left join analytics.dim_product as product on product.product_id = line.product_id
  where orders.order_date between period.first_day and period.last_day
)

select
  lines.category_path,
  lines.country_name,
  round(sum(lines.line_revenue_tax_excl), money.decimals) as gross_sales_tax_excl,
  round(sum(coalesce(lines.discount_share_tax_excl, 0)), money.decimals) as discounts_tax_excl,
  round(sum(lines.refunded_tax_excl), money.decimals) as refunds_tax_excl,
  round(
    sum(lines.line_revenue_tax_excl - coalesce(lines.discount_share_tax_excl, 0) - lines.refunded_tax_excl), money.decimals
  ) as net_sales_tax_excl
from lines
cross join money
group by lines.category_path, lines.country_name, money.decimals
order by net_sales_tax_excl desc nulls last, lines.category_path, lines.country_name;
