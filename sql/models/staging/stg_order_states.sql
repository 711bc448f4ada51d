-- stg_order_states: the shop's order states from the last reference load (a small table, rebuilt every refresh).
delete from staging.stg_order_states;

insert into staging.stg_order_states (
  order_state_id, state_name, is_logable, is_paid, is_shipped, is_delivery, is_invoice, is_hidden, is_deleted,
  color, module_name
)
with params as (
  select default_lang_id from _refresh
),

source as (
  select reference.id, reference.payload
  from staging.shop_reference as reference
  where reference.resource = 'order_states'
),

names as (
  select
    source.id,
    case jsonb_typeof(source.payload -> 'name')
      when 'string' then source.payload ->> 'name'
      when 'array' then coalesce(
        (
          select translation ->> 'value'
          from jsonb_array_elements(source.payload -> 'name') as translation
          where translation ->> 'id' = params.default_lang_id::text
        ),
        source.payload -> 'name' -> 0 ->> 'value'
      )
    end as state_name
  from source
  cross join params
)

select
  source.id,
  names.state_name,
  staging.ps_bool(source.payload ->> 'logable'),
  staging.ps_bool(source.payload ->> 'paid'),
  staging.ps_bool(source.payload ->> 'shipped'),
  staging.ps_bool(source.payload ->> 'delivery'),
  staging.ps_bool(source.payload ->> 'invoice'),
  staging.ps_bool(source.payload ->> 'hidden'),
  staging.ps_bool(source.payload ->> 'deleted'),
  nullif(source.payload ->> 'color', ''),
  nullif(source.payload ->> 'module_name', '')
from source
inner join names on names.id = source.id;
