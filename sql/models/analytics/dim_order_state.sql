-- dim_order_state: the shop's order states, names in the default language (staging.stg_order_states, from the
-- reference data reloaded whole on each refresh). Small: rebuilt whole every refresh.
delete from analytics.dim_order_state;

insert into analytics.dim_order_state (
  order_state_id, state_name, is_paid, is_shipped, is_delivery, is_logable, is_invoice, is_hidden, is_deleted,
  color, module_name
)
select
  stg.order_state_id, stg.state_name, stg.is_paid, stg.is_shipped, stg.is_delivery, stg.is_logable, stg.is_invoice,
  stg.is_hidden, stg.is_deleted, stg.color, stg.module_name
from staging.stg_order_states as stg;
