-- stg_order_lines: one row per associations.order_rows item. A changed order's lines are replaced: lines that
-- changed or left the order are deleted, new or changed ones inserted, identical ones left alone (most order
-- changes are status changes, which leave the lines as they were). line_image (the row as text) is the comparison.
create temp table new_order_lines on commit drop as
with source as (
  select raw_orders.id, raw_orders.payload -> 'associations' -> 'order_rows' as order_rows
  from raw.prestashop_orders as raw_orders
  inner join chg_orders as chg on chg.order_id = raw_orders.id
  where jsonb_typeof(raw_orders.payload -> 'associations' -> 'order_rows') = 'array'
),

order_rows as (
  select source.id as order_id,
    order_row.id, order_row.product_id, order_row.product_attribute_id, order_row.id_customization,
    order_row.product_quantity, order_row.product_name, order_row.product_reference,
    order_row.product_price, order_row.unit_price_tax_incl, order_row.unit_price_tax_excl
  from source
  cross join lateral jsonb_to_recordset(source.order_rows) as order_row (
    id text, product_id text, product_attribute_id text, id_customization text, product_quantity text,
    product_name text, product_reference text, product_price text, unit_price_tax_incl text, unit_price_tax_excl text
  )
),

typed as (
  select
    staging.ps_id(order_rows.id) as order_line_id,
    order_rows.order_id,
    staging.ps_id(order_rows.product_id) as product_id,
    staging.ps_id(order_rows.product_attribute_id) as product_attribute_id,
    staging.ps_id(order_rows.id_customization) as customization_id,
    staging.ps_int(order_rows.product_quantity) as quantity,
    nullif(order_rows.product_name, '') as product_name,
    nullif(order_rows.product_reference, '') as product_reference,
    staging.ps_numeric(order_rows.product_price) as product_price,
    staging.ps_numeric(order_rows.unit_price_tax_incl) as unit_price_tax_incl,
    staging.ps_numeric(order_rows.unit_price_tax_excl) as unit_price_tax_excl
  from order_rows
)

select
  typed.order_line_id, typed.order_id, typed.product_id, typed.product_attribute_id, typed.customization_id,
  typed.quantity, typed.product_name, typed.product_reference, typed.product_price,
  typed.unit_price_tax_incl, typed.unit_price_tax_excl,
  row(
    typed.order_line_id, typed.order_id, typed.product_id, typed.product_attribute_id, typed.customization_id,
    typed.quantity, typed.product_name, typed.product_reference, typed.product_price,
    typed.unit_price_tax_incl, typed.unit_price_tax_excl
  )::text as line_image
from typed;

analyze new_order_lines;

-- An order whose new lines repeat an identical row is replaced whole, so the repeat reaches the data-quality check.
delete from staging.stg_order_lines as stg
using (
  select new_order_lines.order_id
  from new_order_lines
  group by new_order_lines.order_id, new_order_lines.line_image
  having count(*) > 1
) as repeated
where stg.order_id = repeated.order_id;

delete from staging.stg_order_lines as stg
using chg_orders as chg
where stg.order_id = chg.order_id
  and not exists (
    select from new_order_lines
    where new_order_lines.order_id = stg.order_id
      and new_order_lines.line_image = row(
        stg.order_line_id, stg.order_id, stg.product_id, stg.product_attribute_id, stg.customization_id,
        stg.quantity, stg.product_name, stg.product_reference, stg.product_price,
        stg.unit_price_tax_incl, stg.unit_price_tax_excl
      )::text
  );

insert into staging.stg_order_lines (
  order_line_id, order_id, product_id, product_attribute_id, customization_id, quantity,
  product_name, product_reference, product_price, unit_price_tax_incl, unit_price_tax_excl
)
select
  new_order_lines.order_line_id, new_order_lines.order_id, new_order_lines.product_id,
  new_order_lines.product_attribute_id, new_order_lines.customization_id, new_order_lines.quantity,
  new_order_lines.product_name, new_order_lines.product_reference, new_order_lines.product_price,
  new_order_lines.unit_price_tax_incl, new_order_lines.unit_price_tax_excl
from new_order_lines
where not exists (
  select from staging.stg_order_lines as stg
  where stg.order_id = new_order_lines.order_id
    and row(
      stg.order_line_id, stg.order_id, stg.product_id, stg.product_attribute_id, stg.customization_id,
      stg.quantity, stg.product_name, stg.product_reference, stg.product_price,
      stg.unit_price_tax_incl, stg.unit_price_tax_excl
    )::text = new_order_lines.line_image
);
