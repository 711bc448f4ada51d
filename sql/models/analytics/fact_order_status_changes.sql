-- fact_order_status_changes: one row per entry of an order's status history (order_history), with the state it
-- left and how long it stayed there. Each entry depends on the entries before it, so the whole history of every
-- order in history_orders (refresh/expand_document_keys.sql: the orders of the changed entries) is rebuilt.
create temp table history_scope on commit drop as
select fact.history_id
from analytics.fact_order_status_changes as fact
inner join history_orders on history_orders.order_id = fact.order_id
union
select chg.history_id from chg_histories as chg;

delete from analytics.fact_order_status_changes as fact
using history_orders
where fact.order_id = history_orders.order_id;

insert into analytics.fact_order_status_changes (
  history_id, order_id, state_id, changed_at, previous_state_id, seconds_since_previous
)
with typed as (
  select
    raw_histories.id as history_id,
    staging.ps_id(fields.id_order) as order_id,
    staging.ps_id(fields.id_order_state) as state_id,
    staging.ps_timestamp(fields.date_add) at time zone params.time_zone as changed_at
  from raw.prestashop_order_histories as raw_histories
  inner join history_scope on history_scope.history_id = raw_histories.id
  cross join (select time_zone from _refresh) as params
  cross join lateral jsonb_to_record(raw_histories.payload) as fields (id_order text, id_order_state text, date_add text)
  where raw_histories.deleted_at is null
),

ordered as (
  select
    typed.history_id, typed.order_id, typed.state_id, typed.changed_at,
    lag(typed.state_id) over by_order as previous_state_id,
    lag(typed.changed_at) over by_order as previous_changed_at
  from typed
  where typed.order_id in (select history_orders.order_id from history_orders)
  window by_order as (partition by typed.order_id order by typed.changed_at, typed.history_id)
)

select
  ordered.history_id, ordered.order_id, ordered.state_id, ordered.changed_at, ordered.previous_state_id,
  extract(epoch from ordered.changed_at - ordered.previous_changed_at)::bigint
from ordered;
