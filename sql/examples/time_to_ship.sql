-- Time to ship: per week (Monday, of the order's shop-local date), the valid orders both paid and shipped, and the
-- hours from the first paid status to the first shipped status: average, median, 90th percentile and longest.
-- Orders shipped before they were paid (cash on delivery) are left out. paid_at and shipped_at come from the
-- order status history (analytics.fact_order_status_changes).
with fulfilled as (
  select
    date_trunc('week', orders.order_date)::date as week_start,
    extract(epoch from orders.shipped_at - orders.paid_at) / 3600 as hours_to_ship
  from analytics.orders
  where orders.is_valid
    and orders.paid_at is not null
    and orders.shipped_at >= orders.paid_at
)

select
  fulfilled.week_start,
  count(*) as orders_shipped,
  round(avg(fulfilled.hours_to_ship), 1) as avg_hours,
  round((percentile_cont(0.5) within group (order by fulfilled.hours_to_ship))::numeric, 1) as median_hours,
  round((percentile_cont(0.9) within group (order by fulfilled.hours_to_ship))::numeric, 1) as p90_hours,
  round(max(fulfilled.hours_to_ship), 1) as max_hours
from fulfilled
group by fulfilled.week_start
order by fulfilled.week_start;
