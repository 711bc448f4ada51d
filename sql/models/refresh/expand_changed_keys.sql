-- Products and orders carry names from the lookups: a product its default category's name and path and its
-- manufacturer's name, an order its delivery country (through its address) and its carrier's name. The products
-- and orders naming a lookup row whose names changed in this refresh are refreshed as if they had changed, by the
-- same models: one code path, so the result is what a rebuild gives. Only renames reach them (a carrier flagged
-- deleted, an address edited without changing country, leave them alone).
insert into chg_products (product_id)
select dim.product_id
from analytics.dim_product as dim
inner join renamed_categories as renamed on renamed.category_id = dim.category_default_id
union
select dim.product_id
from analytics.dim_product as dim
inner join renamed_manufacturers as renamed on renamed.manufacturer_id = dim.manufacturer_id
on conflict do nothing;

insert into chg_orders (order_id)
select stg.order_id
from staging.stg_orders as stg
inner join moved_addresses as moved on moved.address_id = stg.address_delivery_id
union
select stg.order_id
from staging.stg_orders as stg
inner join renamed_carriers as renamed on renamed.carrier_id = stg.carrier_id
union
select stg.order_id
from staging.stg_orders as stg
inner join staging.stg_addresses as address on address.address_id = stg.address_delivery_id
inner join renamed_countries as renamed on renamed.country_id = address.country_id
on conflict do nothing;

analyze chg_products;
analyze chg_orders;
