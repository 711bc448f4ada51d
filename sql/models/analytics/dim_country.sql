-- dim_country: the countries the shop has (raw rows marked deleted drop out), names in the default language. An
-- order's country is that of its delivery address (staging.stg_addresses). Small: rebuilt whole when any changed.
-- renamed_countries lists those whose name or ISO code changed (new and gone ones included): the orders delivered
-- there are refreshed (refresh/expand_changed_keys.sql).
create temp table countries_before on commit drop as
select dim.country_id, dim.iso_code, dim.country_name
from analytics.dim_country as dim
where exists (select from chg_countries);

delete from analytics.dim_country
where exists (select from chg_countries);

insert into analytics.dim_country (country_id, iso_code, country_name, zone_id, call_prefix, is_active, contains_states)
with params as (
  select default_lang_id from _refresh
),

source as (
  select
    raw_countries.id, fields.iso_code, fields.name, fields.id_zone, fields.call_prefix, fields.active,
    fields.contains_states
  from raw.prestashop_countries as raw_countries
  cross join lateral jsonb_to_record(raw_countries.payload) as fields (
    iso_code text, name jsonb, id_zone text, call_prefix text, active text, contains_states text
  )
  where raw_countries.deleted_at is null
    and exists (select from chg_countries)
)

select
  source.id,
  nullif(source.iso_code, ''),
  nullif(staging.ps_lang(source.name, params.default_lang_id), ''),
  nullif(staging.ps_id(source.id_zone), 0),
  staging.ps_int(source.call_prefix),
  staging.ps_bool(source.active),
  staging.ps_bool(source.contains_states)
from source
cross join params;

create temp table renamed_countries on commit drop as
select distinct changed.country_id
from (
  (
    select countries_before.country_id, countries_before.iso_code, countries_before.country_name from countries_before
    except
    select dim.country_id, dim.iso_code, dim.country_name from analytics.dim_country as dim
  )
  union all
  (
    select dim.country_id, dim.iso_code, dim.country_name from analytics.dim_country as dim
    where exists (select from chg_countries)
    except
    select countries_before.country_id, countries_before.iso_code, countries_before.country_name from countries_before
  )
) as changed;
