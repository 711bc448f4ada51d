-- dim_product_variant: the variants (combinations) the shop has (raw rows marked deleted drop out), with their
-- product's price plus the variant's impact. Refreshed for the changed combinations and the variants of the changed
-- products (their price follows the product's). variant_scope is what this refresh rebuilt.
create temp table variant_scope on commit drop as
select chg_combinations.variant_id from chg_combinations
union
select dim.variant_id
from analytics.dim_product_variant as dim
inner join chg_products as chg on chg.product_id = dim.product_id;
alter table variant_scope add primary key (variant_id);
analyze variant_scope;

delete from analytics.dim_product_variant as dim
using variant_scope as scope
where dim.variant_id = scope.variant_id;

insert into analytics.dim_product_variant (
  variant_id, product_id, reference, ean13, price_impact_tax_excl, price_tax_excl, wholesale_price, is_default,
  minimal_quantity
)
with source as (
  select
    raw_combinations.id, fields.id_product, fields.reference, fields.ean13, fields.price, fields.wholesale_price,
    fields.default_on, fields.minimal_quantity
  from raw.prestashop_combinations as raw_combinations
  inner join variant_scope as scope on scope.variant_id = raw_combinations.id
  cross join lateral jsonb_to_record(raw_combinations.payload) as fields (
    id_product text, reference text, ean13 text, price text, wholesale_price text, default_on text, minimal_quantity text
  )
  where raw_combinations.deleted_at is null
),

typed as (
  select
    source.id as variant_id,
    nullif(staging.ps_id(source.id_product), 0) as product_id,
    nullif(source.reference, '') as reference,
    nullif(source.ean13, '') as ean13,
    staging.ps_numeric(source.price) as price_impact_tax_excl,
    staging.ps_numeric(source.wholesale_price) as wholesale_price,
    coalesce(staging.ps_bool(source.default_on), false) as is_default,
    staging.ps_int(source.minimal_quantity) as minimal_quantity
  from source
)

select
  typed.variant_id, typed.product_id, typed.reference, typed.ean13, typed.price_impact_tax_excl,
  product.price_tax_excl + coalesce(typed.price_impact_tax_excl, 0), typed.wholesale_price, typed.is_default,
  typed.minimal_quantity
from typed
left join analytics.dim_product as product on product.product_id = typed.product_id;
