-- stg_order_lines: one row per associations.order_rows item; a changed order's lines are replaced whole
-- (rows removed from an order in the shop disappear here too).
delete from staging.stg_order_lines as stg
using chg_orders as chg
where stg.order_id = chg.order_id;

insert into staging.stg_order_lines (
  order_line_id, order_id, product_id, product_attribute_id, customization_id, quantity,
  product_name, product_reference, product_price, unit_price_tax_incl, unit_price_tax_excl
)
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
  typed.unit_price_tax_incl, typed.unit_price_tax_excl
from typed;
