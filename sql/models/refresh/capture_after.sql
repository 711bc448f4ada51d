-- After the facts changed: the same images as capture_before, from the new facts.
create temp table after_orders on commit drop as
select fact.order_id, fact.customer_id, fact.order_date, fact.is_valid, fact.revenue_tax_excl, fact.reference,
  fact.gross_sales_tax_excl, fact.discounts_tax_excl, fact.shipping_tax_excl, fact.gross_margin_tax_excl,
  (select coalesce(sum(line.quantity), 0) from analytics.fact_order_lines as line where line.order_id = fact.order_id) as units
from analytics.fact_orders as fact
inner join chg_orders as chg on chg.order_id = fact.order_id;

-- The credit slips of the changed orders (a changed slip's order is one), counted on the slip's day when the
-- order is valid.
create temp table after_refunds on commit drop as
select refunds.refund_date, refunds.products_tax_excl
from analytics.fact_refunds as refunds
inner join chg_orders as chg on chg.order_id = refunds.order_id
inner join analytics.fact_orders as fact on fact.order_id = refunds.order_id
where fact.is_valid;

create temp table after_first_valid on commit drop as
select distinct on (fact.customer_id)
  fact.customer_id,
  fact.order_date as first_valid_order_date
from analytics.fact_orders as fact
inner join aff_customers as aff on aff.customer_id = fact.customer_id
where fact.is_valid
order by fact.customer_id, fact.ordered_at_local, fact.order_id;

create temp table after_customer_months on commit drop as
select
  fact.customer_id,
  date_trunc('month', fact.order_date)::date as order_month,
  count(*) as valid_orders,
  sum(fact.revenue_tax_excl) as revenue_tax_excl
from analytics.fact_orders as fact
inner join aff_customers as aff on aff.customer_id = fact.customer_id
where fact.is_valid
group by fact.customer_id, date_trunc('month', fact.order_date)::date;
