-- dim_product: products the shop still has (raw rows marked deleted drop out), with the names of their default
-- category and manufacturer (a renamed one refreshes the products naming it: refresh/expand_changed_keys.sql).
delete from analytics.dim_product as dim
using chg_products as chg
where dim.product_id = chg.product_id;

insert into analytics.dim_product (
  product_id, reference, product_name, product_names, product_type, manufacturer_id, category_default_id,
  price_tax_excl, is_active, is_virtual, created_at_local, created_at, updated_at_local, updated_at,
  category_default_name, category_path, manufacturer_name
)
with products as (
  select
    stg.product_id, stg.reference, stg.product_name, stg.product_names, stg.product_type, stg.manufacturer_id,
    stg.category_default_id, stg.price_tax_excl, stg.is_active, stg.is_virtual,
    stg.created_at_local, stg.created_at, stg.updated_at_local, stg.updated_at, stg.raw_deleted_at
  from staging.stg_products as stg
  inner join chg_products as chg on chg.product_id = stg.product_id
),

current_products as (
  select
    products.product_id, products.reference, products.product_name, products.product_names, products.product_type,
    products.manufacturer_id, products.category_default_id, products.price_tax_excl, products.is_active,
    products.is_virtual, products.created_at_local, products.created_at, products.updated_at_local, products.updated_at
  from products
  where products.raw_deleted_at is null
)

select
  current_products.product_id, current_products.reference, current_products.product_name,
  current_products.product_names, current_products.product_type, current_products.manufacturer_id,
  current_products.category_default_id, current_products.price_tax_excl, current_products.is_active,
  current_products.is_virtual, current_products.created_at_local, current_products.created_at,
  current_products.updated_at_local, current_products.updated_at,
  category.category_name, category.category_path, manufacturer.manufacturer_name
from current_products
left join analytics.dim_category as category on category.category_id = current_products.category_default_id
left join analytics.dim_manufacturer as manufacturer on manufacturer.manufacturer_id = current_products.manufacturer_id;
