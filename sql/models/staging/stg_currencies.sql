-- stg_currencies: the shop's currencies from the last reference load, flagged with the default currency.
delete from staging.stg_currencies;

insert into staging.stg_currencies (
  currency_id, iso_code, numeric_iso_code, currency_name, symbol, decimals, conversion_rate,
  is_active, is_deleted, is_default
)
with params as (
  select default_currency_id from _refresh
),

source as (
  select reference.id, reference.payload
  from staging.shop_reference as reference
  where reference.resource = 'currencies'
)

select
  source.id,
  nullif(source.payload ->> 'iso_code', ''),
  nullif(source.payload ->> 'numeric_iso_code', ''),
  case jsonb_typeof(source.payload -> 'name')
    when 'array' then source.payload -> 'name' -> 0 ->> 'value'
    else nullif(source.payload ->> 'name', '')
  end,
  case jsonb_typeof(source.payload -> 'symbol')
    when 'array' then source.payload -> 'symbol' -> 0 ->> 'value'
    else nullif(source.payload ->> 'symbol', '')
  end,
  staging.ps_int(source.payload ->> 'precision'),
  staging.ps_numeric(source.payload ->> 'conversion_rate'),
  staging.ps_bool(source.payload ->> 'active'),
  staging.ps_bool(source.payload ->> 'deleted'),
  coalesce(source.id = params.default_currency_id, false)
from source
cross join params;
