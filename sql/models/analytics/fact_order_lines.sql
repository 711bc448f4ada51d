-- fact_order_lines: the lines of the orders in fact_orders. A changed order's lines are replaced the way
-- stg_order_lines does it: changed or vanished lines deleted, new or changed ones inserted, identical ones kept.
-- variant_id is product_attribute_id under the name dim_product_variant joins on (0: the product has no variant);
-- being a copy, it needs no place in line_image. Cost and refunds come from the line's order_detail (same id):
-- unit_cost is purchase_supplier_price, else original_wholesale_price (null when neither is above 0), in the default
-- currency as PrestaShop copies it; refunded_tax_excl is divided by the order's conversion_rate. Last, the changed
-- orders get their cost of goods and margin from these lines.
create temp table new_fact_lines on commit drop as
with lines as (
  select
    stg.order_line_id, stg.order_id, stg.product_id, stg.product_attribute_id, stg.quantity, stg.product_name,
    stg.product_reference, stg.unit_price_tax_excl, stg.unit_price_tax_incl
  from staging.stg_order_lines as stg
  inner join chg_orders as chg on chg.order_id = stg.order_id
),

orders as (
  select fact.order_id, fact.order_date, fact.conversion_rate
  from analytics.fact_orders as fact
  inner join chg_orders as chg on chg.order_id = fact.order_id
),

details as (
  select
    raw_details.id as order_line_id,
    raw_details.parent_id as order_id,
    staging.ps_numeric(fields.purchase_supplier_price) as purchase_supplier_price,
    staging.ps_numeric(fields.original_wholesale_price) as original_wholesale_price,
    staging.ps_int(fields.product_quantity_refunded) as quantity_refunded,
    staging.ps_int(fields.product_quantity_return) as quantity_returned,
    staging.ps_numeric(fields.total_refunded_tax_excl) as total_refunded_tax_excl
  from raw.prestashop_order_details as raw_details
  inner join chg_orders as chg on chg.order_id = raw_details.parent_id
  cross join lateral jsonb_to_record(raw_details.payload) as fields (
    purchase_supplier_price text, original_wholesale_price text, product_quantity_refunded text,
    product_quantity_return text, total_refunded_tax_excl text
  )
  where raw_details.deleted_at is null
),

priced as (
  select
    lines.order_line_id, lines.order_id, lines.product_id, lines.product_attribute_id, orders.order_date,
    lines.quantity, lines.product_name, lines.product_reference, lines.unit_price_tax_excl, lines.unit_price_tax_incl,
    lines.unit_price_tax_excl * lines.quantity as line_total_tax_excl,
    trim_scale(lines.unit_price_tax_excl * lines.quantity / nullif(orders.conversion_rate, 0)) as line_revenue_tax_excl,
    case
      when details.purchase_supplier_price > 0 then details.purchase_supplier_price
      when details.original_wholesale_price > 0 then details.original_wholesale_price
    end as unit_cost,
    details.quantity_refunded, details.quantity_returned,
    trim_scale(details.total_refunded_tax_excl / nullif(orders.conversion_rate, 0)) as refunded_tax_excl
  from lines
  inner join orders on orders.order_id = lines.order_id
  left join details on details.order_line_id = lines.order_line_id and details.order_id = lines.order_id
)

select
  priced.order_line_id, priced.order_id, priced.product_id, priced.product_attribute_id, priced.order_date,
  priced.quantity, priced.product_name, priced.product_reference, priced.unit_price_tax_excl,
  priced.unit_price_tax_incl, priced.line_total_tax_excl, priced.line_revenue_tax_excl,
  priced.product_attribute_id as variant_id,
  priced.unit_cost, priced.quantity_refunded, priced.quantity_returned, priced.refunded_tax_excl,
  row(
    priced.order_line_id, priced.order_id, priced.product_id, priced.product_attribute_id, priced.order_date,
    priced.quantity, priced.product_name, priced.product_reference, priced.unit_price_tax_excl,
    priced.unit_price_tax_incl, priced.line_total_tax_excl, priced.line_revenue_tax_excl,
    priced.unit_cost, priced.quantity_refunded, priced.quantity_returned, priced.refunded_tax_excl
  )::text as line_image
from priced;

analyze new_fact_lines;

-- An order whose new lines repeat an identical row is replaced whole, so the repeat reaches the data-quality check.
delete from analytics.fact_order_lines as fact
using (
  select new_fact_lines.order_id
  from new_fact_lines
  group by new_fact_lines.order_id, new_fact_lines.line_image
  having count(*) > 1
) as repeated
where fact.order_id = repeated.order_id;

delete from analytics.fact_order_lines as fact
using chg_orders as chg
where fact.order_id = chg.order_id
  and not exists (
    select from new_fact_lines
    where new_fact_lines.order_id = fact.order_id
      and new_fact_lines.line_image = row(
        fact.order_line_id, fact.order_id, fact.product_id, fact.product_attribute_id, fact.order_date,
        fact.quantity, fact.product_name, fact.product_reference, fact.unit_price_tax_excl,
        fact.unit_price_tax_incl, fact.line_total_tax_excl, fact.line_revenue_tax_excl,
        fact.unit_cost, fact.quantity_refunded, fact.quantity_returned, fact.refunded_tax_excl
      )::text
  );

insert into analytics.fact_order_lines (
  order_line_id, order_id, product_id, product_attribute_id, order_date, quantity, product_name, product_reference,
  unit_price_tax_excl, unit_price_tax_incl, line_total_tax_excl, line_revenue_tax_excl, variant_id,
  unit_cost, quantity_refunded, quantity_returned, refunded_tax_excl
)
select
  new_fact_lines.order_line_id, new_fact_lines.order_id, new_fact_lines.product_id,
  new_fact_lines.product_attribute_id, new_fact_lines.order_date, new_fact_lines.quantity,
  new_fact_lines.product_name, new_fact_lines.product_reference, new_fact_lines.unit_price_tax_excl,
  new_fact_lines.unit_price_tax_incl, new_fact_lines.line_total_tax_excl, new_fact_lines.line_revenue_tax_excl,
  new_fact_lines.variant_id, new_fact_lines.unit_cost, new_fact_lines.quantity_refunded,
  new_fact_lines.quantity_returned, new_fact_lines.refunded_tax_excl
from new_fact_lines
where not exists (
  select from analytics.fact_order_lines as fact
  where fact.order_id = new_fact_lines.order_id
    and row(
      fact.order_line_id, fact.order_id, fact.product_id, fact.product_attribute_id, fact.order_date,
      fact.quantity, fact.product_name, fact.product_reference, fact.unit_price_tax_excl,
      fact.unit_price_tax_incl, fact.line_total_tax_excl, fact.line_revenue_tax_excl,
      fact.unit_cost, fact.quantity_refunded, fact.quantity_returned, fact.refunded_tax_excl
    )::text = new_fact_lines.line_image
);

-- Cost of goods: every line's quantity x unit_cost, unknown (null) when a line has no cost or the order no line.
update analytics.fact_orders as fact
set
  cost_of_goods = costs.cost_of_goods,
  gross_margin_tax_excl = trim_scale(fact.gross_sales_tax_excl - coalesce(fact.discounts_tax_excl, 0) - costs.cost_of_goods)
from (
  select
    orders.order_id,
    case when count(lines.order_line_id) > 0 and count(*) filter (where lines.quantity * lines.unit_cost is null) = 0
      then trim_scale(sum(lines.quantity * lines.unit_cost)) end as cost_of_goods
  from analytics.fact_orders as orders
  inner join chg_orders as chg on chg.order_id = orders.order_id
  left join new_fact_lines as lines on lines.order_id = orders.order_id
  group by orders.order_id
) as costs
where fact.order_id = costs.order_id;
