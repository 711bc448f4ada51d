-- dim_currency: the shop's currencies and which is the default (staging.stg_currencies, from the reference data
-- reloaded whole on each refresh). Small: rebuilt whole every refresh.
delete from analytics.dim_currency;

insert into analytics.dim_currency (
  currency_id, iso_code, currency_name, symbol, decimals, conversion_rate, is_active, is_deleted, is_default
)
select
  stg.currency_id, stg.iso_code, stg.currency_name, stg.symbol, stg.decimals, stg.conversion_rate, stg.is_active,
  stg.is_deleted, coalesce(stg.is_default, false)
from staging.stg_currencies as stg;
