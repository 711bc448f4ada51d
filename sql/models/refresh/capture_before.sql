-- Before the facts change: what the changed orders and their customers contributed to the aggregates, so the
-- KPI and cohort tables can be corrected by difference (cost follows the changed rows, not the warehouse).
create temp table before_orders on commit drop as
select fact.order_id, fact.customer_id, fact.order_date, fact.is_valid, fact.revenue_tax_excl, fact.reference,
  fact.gross_sales_tax_excl, fact.discounts_tax_excl, fact.shipping_tax_excl, fact.gross_margin_tax_excl,
  (select coalesce(sum(line.quantity), 0) from analytics.fact_order_lines as line where line.order_id = fact.order_id) as units
from analytics.fact_orders as fact
inner join chg_orders as chg on chg.order_id = fact.order_id;

-- The credit slips of the changed orders (a changed slip's order is one), counted on the slip's day when the
-- order is valid.
create temp table before_refunds on commit drop as
select refunds.refund_date, refunds.products_tax_excl
from analytics.fact_refunds as refunds
inner join chg_orders as chg on chg.order_id = refunds.order_id
inner join analytics.fact_orders as fact on fact.order_id = refunds.order_id
where fact.is_valid;

-- Customers whose order history changes: the old and the new customer of every changed order.
create temp table aff_customers on commit drop as
select before_orders.customer_id
from before_orders
where before_orders.customer_id is not null
union
select stg.customer_id
from staging.stg_orders as stg
inner join chg_orders as chg on chg.order_id = stg.order_id
where stg.customer_id is not null
  and stg.raw_deleted_at is null;
alter table aff_customers add primary key (customer_id);
analyze aff_customers;

create temp table before_first_valid on commit drop as
select distinct on (fact.customer_id)
  fact.customer_id,
  fact.order_date as first_valid_order_date
from analytics.fact_orders as fact
inner join aff_customers as aff on aff.customer_id = fact.customer_id
where fact.is_valid
order by fact.customer_id, fact.ordered_at_local, fact.order_id;

create temp table before_customer_months on commit drop as
select
  fact.customer_id,
  date_trunc('month', fact.order_date)::date as order_month,
  count(*) as valid_orders,
  sum(fact.revenue_tax_excl) as revenue_tax_excl
from analytics.fact_orders as fact
inner join aff_customers as aff on aff.customer_id = fact.customer_id
where fact.is_valid
group by fact.customer_id, date_trunc('month', fact.order_date)::date;
