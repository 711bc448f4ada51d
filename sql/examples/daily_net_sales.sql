-- Daily net sales: orders, valid orders, revenue (tax excluded, after discounts, default currency) and average order
-- value per day, over the 90 days up to the last day with orders. Days without orders show as zero.
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
  coalesce(daily_sales.revenue_tax_excl, 0) as revenue_tax_excl,
  daily_sales.avg_order_value
from period
inner join analytics.dim_date as calendar on calendar.date_day between period.first_day and period.last_day
left join analytics.daily_sales on daily_sales.sales_date = calendar.date_day
order by calendar.date_day;
