-- dim_customer: customers the shop still has (soft-deleted ones flagged, hard-deleted ones drop out), with their
-- order history over non-deleted orders. Recomputed for customers that changed or whose orders changed.
create temp table touched_customers on commit drop as
select chg_customers.customer_id from chg_customers
union
select aff_customers.customer_id from aff_customers;
alter table touched_customers add primary key (customer_id);
analyze touched_customers;

delete from analytics.dim_customer as dim
using touched_customers as touched
where dim.customer_id = touched.customer_id;

insert into analytics.dim_customer (
  customer_id, is_guest, is_active, is_deleted, is_newsletter, default_group_id, lang_id, created_at_local, created_at,
  first_order_id, first_order_date, last_order_date, orders_count, valid_orders_count,
  first_valid_order_id, first_valid_order_date, cohort_month, lifetime_revenue_tax_excl, customer_status
)
with customers as (
  select
    stg.customer_id, stg.is_guest, stg.is_active, stg.is_deleted, stg.is_newsletter, stg.default_group_id, stg.lang_id,
    stg.created_at_local, stg.created_at
  from staging.stg_customers as stg
  inner join touched_customers as touched on touched.customer_id = stg.customer_id
  where stg.raw_deleted_at is null
),

orders as (
  select fact.order_id, fact.customer_id, fact.order_date, fact.ordered_at_local, fact.is_valid, fact.revenue_tax_excl
  from analytics.fact_orders as fact
  inner join customers on customers.customer_id = fact.customer_id
),

order_totals as (
  select
    orders.customer_id,
    min(orders.order_date) as first_order_date,
    max(orders.order_date) as last_order_date,
    count(*) as orders_count,
    count(*) filter (where orders.is_valid) as valid_orders_count,
    coalesce(trim_scale(sum(orders.revenue_tax_excl) filter (where orders.is_valid)), 0) as lifetime_revenue_tax_excl
  from orders
  group by orders.customer_id
),

first_orders as (
  select distinct on (orders.customer_id) orders.customer_id, orders.order_id
  from orders
  order by orders.customer_id, orders.ordered_at_local, orders.order_id
),

first_valid_orders as (
  select distinct on (orders.customer_id) orders.customer_id, orders.order_id, orders.order_date
  from orders
  where orders.is_valid
  order by orders.customer_id, orders.ordered_at_local, orders.order_id
),

final as (
  select
    customers.customer_id, customers.is_guest, customers.is_active, customers.is_deleted, customers.is_newsletter,
    customers.default_group_id, customers.lang_id, customers.created_at_local, customers.created_at,
    first_orders.order_id as first_order_id,
    order_totals.first_order_date,
    order_totals.last_order_date,
    coalesce(order_totals.orders_count, 0) as orders_count,
    coalesce(order_totals.valid_orders_count, 0) as valid_orders_count,
    first_valid_orders.order_id as first_valid_order_id,
    first_valid_orders.order_date as first_valid_order_date,
    date_trunc('month', first_valid_orders.order_date)::date as cohort_month,
    coalesce(order_totals.lifetime_revenue_tax_excl, 0) as lifetime_revenue_tax_excl,
    case
      when coalesce(order_totals.valid_orders_count, 0) = 0 then 'prospect'
      when order_totals.valid_orders_count = 1 then 'new'
      else 'returning'
    end as customer_status
  from customers
  left join order_totals on order_totals.customer_id = customers.customer_id
  left join first_orders on first_orders.customer_id = customers.customer_id
  left join first_valid_orders on first_valid_orders.customer_id = customers.customer_id
)

select
  final.customer_id, final.is_guest, final.is_active, final.is_deleted, final.is_newsletter, final.default_group_id,
  final.lang_id, final.created_at_local, final.created_at, final.first_order_id, final.first_order_date,
  final.last_order_date, final.orders_count, final.valid_orders_count, final.first_valid_order_id,
  final.first_valid_order_date, final.cohort_month, final.lifetime_revenue_tax_excl, final.customer_status
from final;
