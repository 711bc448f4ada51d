-- fact_refunds: one row per credit slip the shop has (order_slip), whatever became of its order; its lines go to
-- staging.stg_slip_lines for the line_refunds_match_slips check. Amounts are tax excluded, divided by the slip's
-- conversion_rate. A slip depends on nothing but itself, so only the changed slips are rebuilt; their orders are
-- changed orders (refresh/expand_document_keys.sql), which corrects the KPIs of the slip's day.
delete from analytics.fact_refunds as fact
using chg_slips as chg
where fact.slip_id = chg.slip_id;

delete from staging.stg_slip_lines as stg
using chg_slips as chg
where stg.slip_id = chg.slip_id;

create temp table new_slips on commit drop as
select
  raw_slips.id as slip_id,
  staging.ps_id(fields.id_order) as order_id,
  staging.ps_timestamp(fields.date_add) as refunded_at_local,
  nullif(staging.ps_numeric(fields.conversion_rate), 0) as conversion_rate,
  staging.ps_numeric(fields.total_products_tax_excl) as total_products_tax_excl,
  staging.ps_numeric(fields.total_shipping_tax_excl) as total_shipping_tax_excl,
  case when jsonb_typeof(raw_slips.payload -> 'associations' -> 'order_slip_details') = 'array'
    then raw_slips.payload -> 'associations' -> 'order_slip_details' else '[]'::jsonb end as details
from raw.prestashop_order_slips as raw_slips
inner join chg_slips as chg on chg.slip_id = raw_slips.id
cross join lateral jsonb_to_record(raw_slips.payload) as fields (
  id_order text, date_add text, conversion_rate text, total_products_tax_excl text, total_shipping_tax_excl text
)
where raw_slips.deleted_at is null;

insert into analytics.fact_refunds (
  slip_id, order_id, refund_date, refunded_at, conversion_rate, products_tax_excl, shipping_tax_excl
)
select
  new_slips.slip_id,
  new_slips.order_id,
  new_slips.refunded_at_local::date,
  new_slips.refunded_at_local at time zone params.time_zone,
  new_slips.conversion_rate,
  trim_scale(new_slips.total_products_tax_excl / new_slips.conversion_rate),
  trim_scale(new_slips.total_shipping_tax_excl / new_slips.conversion_rate)
from new_slips
cross join (select time_zone from _refresh) as params;

insert into staging.stg_slip_lines (slip_id, order_id, order_detail_id, quantity, amount_tax_excl)
select
  new_slips.slip_id,
  new_slips.order_id,
  staging.ps_id(detail.id_order_detail),
  staging.ps_int(detail.product_quantity),
  trim_scale(staging.ps_numeric(detail.amount_tax_excl) / new_slips.conversion_rate)
from new_slips
cross join lateral jsonb_to_recordset(new_slips.details) as detail (id_order_detail text, product_quantity text, amount_tax_excl text);
