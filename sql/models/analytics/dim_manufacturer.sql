-- dim_manufacturer: the brands the shop has (raw rows marked deleted drop out). Small: rebuilt whole when any
-- changed. renamed_manufacturers lists those whose name changed (new and gone ones included): the products naming
-- them are refreshed (refresh/expand_changed_keys.sql).
create temp table manufacturers_before on commit drop as
select dim.manufacturer_id, dim.manufacturer_name
from analytics.dim_manufacturer as dim
where exists (select from chg_manufacturers);

delete from analytics.dim_manufacturer
where exists (select from chg_manufacturers);

insert into analytics.dim_manufacturer (manufacturer_id, manufacturer_name, is_active, created_at_local, updated_at_local)
with source as (
  select raw_manufacturers.id, fields.name, fields.active, fields.date_add, fields.date_upd
  from raw.prestashop_manufacturers as raw_manufacturers
  cross join lateral jsonb_to_record(raw_manufacturers.payload) as fields (
    name text, active text, date_add text, date_upd text
  )
  where raw_manufacturers.deleted_at is null
    and exists (select from chg_manufacturers)
)

select
  source.id,
  nullif(source.name, ''),
  staging.ps_bool(source.active),
  staging.ps_timestamp(source.date_add),
  staging.ps_timestamp(source.date_upd)
from source;

create temp table renamed_manufacturers on commit drop as
select distinct changed.manufacturer_id
from (
  (
    select manufacturers_before.manufacturer_id, manufacturers_before.manufacturer_name from manufacturers_before
    except
    select dim.manufacturer_id, dim.manufacturer_name from analytics.dim_manufacturer as dim
  )
  union all
  (
    select dim.manufacturer_id, dim.manufacturer_name from analytics.dim_manufacturer as dim
    where exists (select from chg_manufacturers)
    except
    select manufacturers_before.manufacturer_id, manufacturers_before.manufacturer_name from manufacturers_before
  )
) as changed;
