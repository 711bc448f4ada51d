-- Repeat purchase rate: of the customers with at least one valid order, the share with two or more, overall and by
-- cohort (the month of their first valid order). Guests count as customers, as in the KPIs.
select
  coalesce(to_char(customers.cohort_month, 'YYYY-MM'), 'all') as cohort,
  count(*) as customers,
  count(*) filter (where customers.valid_orders_count >= 2) as repeat_customers,
  round(count(*) filter (where customers.valid_orders_count >= 2)::numeric / count(*), 4) as repeat_purchase_rate
from analytics.customers
where customers.valid_orders_count >= 1
group by rollup (customers.cohort_month)
order by customers.cohort_month nulls last;
