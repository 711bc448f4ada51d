-- Shipping backlog: valid orders whose current state says paid but not shipped, by how many days they have waited
-- since they were placed (measured at the last order's time, so a stale copy reads the same). What is waiting now;
-- time_to_ship.sql measures how long the shipped ones took, from the order status history.
with now_at as (
  select max(orders.ordered_at) as measured_at from analytics.orders
),

waiting as (
  select
    case
      when now_at.measured_at - orders.ordered_at < interval '1 day' then '0: less than a day'
      when now_at.measured_at - orders.ordered_at < interval '3 days' then '1: 1 to 2 days'
      when now_at.measured_at - orders.ordered_at < interval '7 days' then '2: 3 to 6 days'
      else '3: a week or more'
    end as waited,
    orders.order_date,
    orders.revenue_tax_excl
  from analytics.orders
  cross join now_at
  where orders.is_valid and orders.current_state_is_paid and not orders.current_state_is_shipped
)

select
  waiting.waited,
  count(*) as orders,
  sum(waiting.revenue_tax_excl) as revenue_tax_excl,
  min(waiting.order_date) as oldest_order_date
from waiting
group by waiting.waited
order by waiting.waited;
