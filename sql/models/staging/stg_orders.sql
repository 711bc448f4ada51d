-- stg_orders: raw orders typed; money as exact NUMERIC in the order's currency, dates shop-local and UTC.
delete from staging.stg_orders as stg
using chg_orders as chg
where stg.order_id = chg.order_id;

insert into staging.stg_orders (
  order_id, reference, customer_id, cart_id, currency_id, lang_id, carrier_id, shop_id, current_state_id,
  is_valid, module, payment, conversion_rate,
  total_paid_tax_incl, total_paid_tax_excl, total_paid_real, total_products, total_products_wt,
  total_discounts_tax_excl, total_shipping_tax_excl, total_wrapping_tax_excl,
  invoice_number, invoice_at_local, invoice_at, delivery_at_local, delivery_at,
  order_date, created_at_local, created_at, updated_at_local, updated_at, raw_deleted_at,
  address_delivery_id
)
with params as (
  select time_zone from _refresh
),

-- jsonb_to_record reads the payload once (it is TOASTed: one ->> per field would decompress it each time).
source as (
  select raw_orders.id, raw_orders.deleted_at,
    fields.reference, fields.id_customer, fields.id_cart, fields.id_currency, fields.id_lang,
    fields.id_carrier, fields.id_shop, fields.current_state, fields.valid, fields.module, fields.payment,
    fields.conversion_rate, fields.total_paid_tax_incl, fields.total_paid_tax_excl,
    fields.total_paid_real, fields.total_products, fields.total_products_wt,
    fields.total_discounts_tax_excl, fields.total_shipping_tax_excl, fields.total_wrapping_tax_excl,
    fields.invoice_number, fields.invoice_date, fields.delivery_date, fields.date_add, fields.date_upd,
    fields.id_address_delivery
  from raw.prestashop_orders as raw_orders
  inner join chg_orders as chg on chg.order_id = raw_orders.id
  cross join lateral jsonb_to_record(raw_orders.payload) as fields (
    reference text, id_customer text, id_cart text, id_currency text, id_lang text, id_carrier text, id_shop text,
    current_state text, valid text, module text, payment text, conversion_rate text,
    total_paid_tax_incl text, total_paid_tax_excl text, total_paid_real text, total_products text,
    total_products_wt text, total_discounts_tax_excl text, total_shipping_tax_excl text, total_wrapping_tax_excl text,
    invoice_number text, invoice_date text, delivery_date text, date_add text, date_upd text,
    id_address_delivery text
  )
),

typed as (
  select
    source.id as order_id,
    nullif(source.reference, '') as reference,
    staging.ps_id(source.id_customer) as customer_id,
    staging.ps_id(source.id_cart) as cart_id,
    staging.ps_id(source.id_currency) as currency_id,
    staging.ps_id(source.id_lang) as lang_id,
    staging.ps_id(source.id_carrier) as carrier_id,
    staging.ps_id(source.id_shop) as shop_id,
    staging.ps_id(source.current_state) as current_state_id,
    coalesce(staging.ps_bool(source.valid), false) as is_valid,
    nullif(source.module, '') as module,
    nullif(source.payment, '') as payment,
    staging.ps_numeric(source.conversion_rate) as conversion_rate,
    staging.ps_numeric(source.total_paid_tax_incl) as total_paid_tax_incl,
    staging.ps_numeric(source.total_paid_tax_excl) as total_paid_tax_excl,
    staging.ps_numeric(source.total_paid_real) as total_paid_real,
    staging.ps_numeric(source.total_products) as total_products,
    staging.ps_numeric(source.total_products_wt) as total_products_wt,
    staging.ps_numeric(source.total_discounts_tax_excl) as total_discounts_tax_excl,
    staging.ps_numeric(source.total_shipping_tax_excl) as total_shipping_tax_excl,
    staging.ps_numeric(source.total_wrapping_tax_excl) as total_wrapping_tax_excl,
    nullif(staging.ps_id(source.invoice_number), 0) as invoice_number,
    staging.ps_timestamp(source.invoice_date) as invoice_at_local,
    staging.ps_timestamp(source.delivery_date) as delivery_at_local,
    staging.ps_timestamp(source.date_add) as created_at_local,
    staging.ps_timestamp(source.date_upd) as updated_at_local,
    source.deleted_at as raw_deleted_at,
    nullif(staging.ps_id(source.id_address_delivery), 0) as address_delivery_id
  from source
)

select
  typed.order_id, typed.reference, typed.customer_id, typed.cart_id, typed.currency_id, typed.lang_id,
  typed.carrier_id, typed.shop_id, typed.current_state_id,
  typed.is_valid, typed.module, typed.payment, typed.conversion_rate,
  typed.total_paid_tax_incl, typed.total_paid_tax_excl, typed.total_paid_real, typed.total_products, typed.total_products_wt,
  typed.total_discounts_tax_excl, typed.total_shipping_tax_excl, typed.total_wrapping_tax_excl,
  typed.invoice_number,
  typed.invoice_at_local, typed.invoice_at_local at time zone params.time_zone,
  typed.delivery_at_local, typed.delivery_at_local at time zone params.time_zone,
  typed.created_at_local::date,
  typed.created_at_local, typed.created_at_local at time zone params.time_zone,
  typed.updated_at_local, typed.updated_at_local at time zone params.time_zone,
  typed.raw_deleted_at,
  typed.address_delivery_id
from typed
cross join params;
