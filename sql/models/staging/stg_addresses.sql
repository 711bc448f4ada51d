-- stg_addresses: the changed addresses, typed; only what analytics uses (the customer, country and state, the
-- shop's soft delete), never names or streets. moved_addresses lists those whose country changed (new addresses
-- included): the orders delivered to them are refreshed (refresh/expand_changed_keys.sql).
create temp table addresses_before on commit drop as
select stg.address_id, stg.country_id
from staging.stg_addresses as stg
inner join chg_addresses as chg on chg.address_id = stg.address_id;

delete from staging.stg_addresses as stg
using chg_addresses as chg
where stg.address_id = chg.address_id;

insert into staging.stg_addresses (address_id, customer_id, country_id, state_id, is_deleted, raw_deleted_at)
with source as (
  select raw_addresses.id, raw_addresses.deleted_at, fields.id_customer, fields.id_country, fields.id_state, fields.deleted
  from raw.prestashop_addresses as raw_addresses
  inner join chg_addresses as chg on chg.address_id = raw_addresses.id
  cross join lateral jsonb_to_record(raw_addresses.payload) as fields (
    id_customer text, id_country text, id_state text, deleted text
  )
)

select
  source.id,
  nullif(staging.ps_id(source.id_customer), 0),
  nullif(staging.ps_id(source.id_country), 0),
  nullif(staging.ps_id(source.id_state), 0),
  coalesce(staging.ps_bool(source.deleted), false),
  source.deleted_at
from source;

create temp table moved_addresses on commit drop as
select chg.address_id
from chg_addresses as chg
left join addresses_before as before on before.address_id = chg.address_id
left join staging.stg_addresses as stg on stg.address_id = chg.address_id
where before.country_id is distinct from stg.country_id;
