-- stg_customers: raw customers typed and cleaned; rows of the customers changed in this refresh are replaced.
delete from staging.stg_customers as stg
using chg_customers as chg
where stg.customer_id = chg.customer_id;

insert into staging.stg_customers (
  customer_id, default_group_id, lang_id, gender_id, shop_id,
  is_guest, is_active, is_deleted, is_newsletter, is_optin,
  birthday, newsletter_at_local, newsletter_at, created_at_local, created_at, updated_at_local, updated_at,
  raw_deleted_at
)
with params as (
  select time_zone from _refresh
),

source as (
  select raw_customers.id, raw_customers.deleted_at,
    fields.id_default_group, fields.id_lang, fields.id_gender, fields.id_shop, fields.is_guest,
    fields.active, fields.deleted, fields.newsletter, fields.optin, fields.birthday,
    fields.newsletter_date_add, fields.date_add, fields.date_upd
  from raw.prestashop_customers as raw_customers
  inner join chg_customers as chg on chg.customer_id = raw_customers.id
  cross join lateral jsonb_to_record(raw_customers.payload) as fields (
    id_default_group text, id_lang text, id_gender text, id_shop text, is_guest text, active text, deleted text,
    newsletter text, optin text, birthday text, newsletter_date_add text, date_add text, date_upd text
  )
),

typed as (
  select
    source.id as customer_id,
    staging.ps_id(source.id_default_group) as default_group_id,
    staging.ps_id(source.id_lang) as lang_id,
    staging.ps_id(source.id_gender) as gender_id,
    staging.ps_id(source.id_shop) as shop_id,
    staging.ps_bool(source.is_guest) as is_guest,
    staging.ps_bool(source.active) as is_active,
    coalesce(staging.ps_bool(source.deleted), false) as is_deleted,
    staging.ps_bool(source.newsletter) as is_newsletter,
    staging.ps_bool(source.optin) as is_optin,
    staging.ps_date(source.birthday) as birthday,
    staging.ps_timestamp(source.newsletter_date_add) as newsletter_at_local,
    staging.ps_timestamp(source.date_add) as created_at_local,
    staging.ps_timestamp(source.date_upd) as updated_at_local,
    source.deleted_at as raw_deleted_at
  from source
)

select
  typed.customer_id, typed.default_group_id, typed.lang_id, typed.gender_id, typed.shop_id,
  typed.is_guest, typed.is_active, typed.is_deleted, typed.is_newsletter, typed.is_optin,
  typed.birthday,
  typed.newsletter_at_local, typed.newsletter_at_local at time zone params.time_zone,
  typed.created_at_local, typed.created_at_local at time zone params.time_zone,
  typed.updated_at_local, typed.updated_at_local at time zone params.time_zone,
  typed.raw_deleted_at
from typed
cross join params;
