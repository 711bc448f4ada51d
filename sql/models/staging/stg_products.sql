-- stg_products: raw products typed; the name in the shop's default language and every language as jsonb
-- ({"<id_lang>": "name"}). One active language makes PrestaShop send a plain string: it is the default language.
delete from staging.stg_products as stg
using chg_products as chg
where stg.product_id = chg.product_id;

insert into staging.stg_products (
  product_id, reference, product_name, product_names, product_type,
  manufacturer_id, supplier_id, category_default_id, price_tax_excl, wholesale_price,
  is_active, is_virtual, state,
  created_at_local, created_at, updated_at_local, updated_at, raw_deleted_at
)
with params as (
  select time_zone, default_lang_id from _refresh
),

source as (
  select
    raw_products.id, raw_products.deleted_at,
    fields.name, fields.reference, fields.product_type, fields.id_manufacturer, fields.id_supplier,
    fields.id_category_default, fields.price, fields.wholesale_price, fields.active, fields.is_virtual, fields.state,
    fields.date_add, fields.date_upd
  from raw.prestashop_products as raw_products
  inner join chg_products as chg on chg.product_id = raw_products.id
  cross join lateral jsonb_to_record(raw_products.payload) as fields (
    name jsonb, reference text, product_type text, id_manufacturer text, id_supplier text, id_category_default text,
    price text, wholesale_price text, active text, is_virtual text, state text, date_add text, date_upd text
  )
),

names as (
  select
    source.id,
    case jsonb_typeof(source.name)
      when 'array' then (
        select jsonb_object_agg(translation ->> 'id', translation ->> 'value')
        from jsonb_array_elements(source.name) as translation
      )
      when 'string' then jsonb_build_object(coalesce(params.default_lang_id::text, 'default'), source.name #>> '{}')
    end as product_names,
    case jsonb_typeof(source.name)
      when 'string' then source.name #>> '{}'
      when 'array' then coalesce(
        (
          select translation ->> 'value'
          from jsonb_array_elements(source.name) as translation
          where translation ->> 'id' = params.default_lang_id::text
        ),
        (
          select translation ->> 'value'
          from jsonb_array_elements(source.name) with ordinality as translations (translation, position)
          order by translations.position
          limit 1
        )
      )
    end as product_name
  from source
  cross join params
),

typed as (
  select
    source.id as product_id,
    nullif(source.reference, '') as reference,
    names.product_name,
    names.product_names,
    nullif(source.product_type, '') as product_type,
    staging.ps_id(source.id_manufacturer) as manufacturer_id,
    staging.ps_id(source.id_supplier) as supplier_id,
    staging.ps_id(source.id_category_default) as category_default_id,
    staging.ps_numeric(source.price) as price_tax_excl,
    staging.ps_numeric(source.wholesale_price) as wholesale_price,
    staging.ps_bool(source.active) as is_active,
    staging.ps_bool(source.is_virtual) as is_virtual,
    staging.ps_int(source.state) as state,
    staging.ps_timestamp(source.date_add) as created_at_local,
    staging.ps_timestamp(source.date_upd) as updated_at_local,
    source.deleted_at as raw_deleted_at
  from source
  inner join names on names.id = source.id
)

select
  typed.product_id, typed.reference, typed.product_name, typed.product_names, typed.product_type,
  typed.manufacturer_id, typed.supplier_id, typed.category_default_id, typed.price_tax_excl, typed.wholesale_price,
  typed.is_active, typed.is_virtual, typed.state,
  typed.created_at_local, typed.created_at_local at time zone params.time_zone,
  typed.updated_at_local, typed.updated_at_local at time zone params.time_zone,
  typed.raw_deleted_at
from typed
cross join params;
