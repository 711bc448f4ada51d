-- Daily net sales: per day, over the 90 days up to the last day with sales, the valid orders' gross sales (products
-- before discounts), discounts, the refunds of credit slips dated that day, and net sales = gross - discounts -
-- refunds (tax excluded, default currency; shipping is not a sale). Revenue (what the valid orders cost their
-- customers, tax excluded, shipping included) and the average order value stay beside it. Days without sales show
-- as zero; a refund made on a day without orders gives that day negative net sales.
-- For a live shop, anchor on today instead: replace the period CTE by
--   select current_date - 89 as first_day, current_date as last_day
with period as (
  select max(daily_sales.sales_date) - 89 as first_day, max(daily_sales.sales_date) as last_day
  from analytics.daily_sales
)

select
  calendar.date_day as sales_date,
  calendar.day_name,
  coalesce(daily_sales.orders_count, 0) as orders_count,
  coalesce(daily_sales.valid_orders, 0) as valid_orders,
  coalesce(daily_sales.gross_sales_tax_excl, 0) as gross_sales_tax_excl,
  coalesce(daily_sales.discounts_tax_excl, 0) as discounts_tax_excl,
  coalesce(daily_sales.refunds_tax_excl, 0) as refunds_tax_excl,
  coalesce(daily_sales.net_sales_tax_excl, 0) as net_sales_tax_excl,
  coalesce(daily_sales.revenue_tax_excl, 0) as revenue_tax_excl,
  daily_sales.avg_order_value
from period
inner join analytics.dim_date as calendar on calendar.date_day between period.first_day and period.last_day
left join analytics.daily_sales on daily_sales.sales_date = calendar.date_day
order by calendar.date_day;
