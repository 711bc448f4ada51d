-- Monthly sales: valid orders, revenue and new customers per calendar month, the last 24 months with orders.
-- Revenue is the month's exact sum rounded once (summing rounded daily values would drift by cents).
with months as (
  select
    calendar.month_start,
    sum(kpi.valid_orders) as valid_orders,
    sum(kpi.revenue_tax_excl) as revenue_tax_excl,
    sum(kpi.new_customers) as new_customers
  from analytics.kpi_daily_sales as kpi
  inner join analytics.dim_date as calendar on calendar.date_day = kpi.sales_date
  group by calendar.month_start
),

money as (
  select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals
  from analytics.dim_currency as currency
)

select
  months.month_start,
  months.valid_orders,
  round(months.revenue_tax_excl, money.decimals) as revenue_tax_excl,
  months.new_customers
from months
cross join money
where months.month_start > (select max(months.month_start) from months) - interval '24 months'
order by months.month_start;
