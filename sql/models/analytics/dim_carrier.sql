-- dim_carrier: every carrier the shop has, the soft-deleted included (raw rows marked deleted drop out).
-- PrestaShop never edits a carrier an order used: it copies it under a new id with the same id_reference and
-- flags the old one deleted, so old orders keep naming the old id, and carrier_reference_id groups the versions.
-- Small: rebuilt whole when any changed. renamed_carriers lists those whose name changed (new and gone ones
-- included): the orders naming them are refreshed (refresh/expand_changed_keys.sql).
create temp table carriers_before on commit drop as
select dim.carrier_id, dim.carrier_name
from analytics.dim_carrier as dim
where exists (select from chg_carriers);

delete from analytics.dim_carrier
where exists (select from chg_carriers);

insert into analytics.dim_carrier (
  carrier_id, carrier_reference_id, carrier_name, is_active, is_deleted, is_free, is_module, external_module_name
)
with source as (
  select
    raw_carriers.id, fields.id_reference, fields.name, fields.active, fields.deleted, fields.is_free,
    fields.is_module, fields.external_module_name
  from raw.prestashop_carriers as raw_carriers
  cross join lateral jsonb_to_record(raw_carriers.payload) as fields (
    id_reference text, name text, active text, deleted text, is_free text, is_module text, external_module_name text
  )
  where raw_carriers.deleted_at is null
    and exists (select from chg_carriers)
)

select
  source.id,
  nullif(staging.ps_id(source.id_reference), 0),
  nullif(source.name, ''),
  staging.ps_bool(source.active),
  coalesce(staging.ps_bool(source.deleted), false),
  staging.ps_bool(source.is_free),
  staging.ps_bool(source.is_module),
  nullif(source.external_module_name, '')
from source;

create temp table renamed_carriers on commit drop as
select distinct changed.carrier_id
from (
  (
    select carriers_before.carrier_id, carriers_before.carrier_name from carriers_before
    except
    select dim.carrier_id, dim.carrier_name from analytics.dim_carrier as dim
  )
  union all
  (
    select dim.carrier_id, dim.carrier_name from analytics.dim_carrier as dim
    where exists (select from chg_carriers)
    except
    select carriers_before.carrier_id, carriers_before.carrier_name from carriers_before
  )
) as changed;
