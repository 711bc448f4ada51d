-- fact_stock_daily: the stock of every product and variant at the end of each shop-local day, from the day its
-- stock row was first recorded to today (the day of the refresh's mark). The quantity of a day is that of the
-- change recorded last that day (raw.prestashop_stock_availables_change_history keeps every change, returns to an
-- earlier quantity included), carried over the days without change; a stock row gone from the shop ends its
-- series. Variant 0 is the product's own row (PrestaShop keeps it as the sum of its variants). Several stock rows
-- naming one product and variant (multishop) are summed.
--
-- Incremental: the changes after the previous checkpoint are stamped after it, so the days before the first of them
-- cannot change. For each product and variant a changed stock row names (in any of its versions), the days from
-- that first new change (or the day after the previous refresh's last day, if earlier) are recomputed; every other
-- series is carried over to today. A full rebuild recomputes every series from its first day: the same statements.
create temp table stock_params on commit drop as
select
  refresh.time_zone,
  refresh.mark,
  (refresh.mark at time zone refresh.time_zone)::date as today,
  coalesce(refresh.previous_checkpoint, '-infinity') as previous_checkpoint,
  (refresh.previous_checkpoint at time zone refresh.time_zone)::date as previous_today
from _refresh as refresh;

-- Every recorded version of the changed stock rows, up to the mark.
create temp table stock_changed_versions on commit drop as
select
  change.id as stock_id,
  change.changed_at,
  (change.changed_at at time zone params.time_zone)::date as version_date,
  nullif(staging.ps_id(fields.id_product), 0) as product_id,
  coalesce(staging.ps_id(fields.id_product_attribute), 0) as variant_id
from raw.prestashop_stock_availables_change_history as change
inner join chg_stock as chg on chg.stock_id = change.id
cross join stock_params as params
cross join lateral jsonb_to_record(change.payload) as fields (id_product text, id_product_attribute text)
where change.changed_at <= params.mark;

insert into staging.stg_stock_items (stock_id, product_id, variant_id)
select distinct versions.stock_id, versions.product_id, versions.variant_id
from stock_changed_versions as versions
where versions.product_id is not null
on conflict do nothing;

create temp table stock_pairs on commit drop as
with first_new as (
  select versions.stock_id, min(versions.version_date) as first_new_date
  from stock_changed_versions as versions
  cross join stock_params as params
  where versions.changed_at > params.previous_checkpoint
  group by versions.stock_id
)

select
  versions.product_id,
  versions.variant_id,
  least(min(first_new.first_new_date), min(params.previous_today) + 1) as from_date
from stock_changed_versions as versions
inner join first_new on first_new.stock_id = versions.stock_id
cross join stock_params as params
where versions.product_id is not null
group by versions.product_id, versions.variant_id;
alter table stock_pairs add primary key (product_id, variant_id);
analyze stock_pairs;

-- The state of every stock row behind those series at the end of each day it changed, valid until its next change.
create temp table stock_states on commit drop as
with contributors as (
  select distinct items.stock_id
  from staging.stg_stock_items as items
  inner join stock_pairs as pairs on pairs.product_id = items.product_id and pairs.variant_id = items.variant_id
),

day_versions as (
  select distinct on (change.id, (change.changed_at at time zone params.time_zone)::date)
    change.id as stock_id,
    (change.changed_at at time zone params.time_zone)::date as version_date,
    change.deleted,
    nullif(staging.ps_id(fields.id_product), 0) as product_id,
    coalesce(staging.ps_id(fields.id_product_attribute), 0) as variant_id,
    coalesce(staging.ps_int(fields.quantity), 0) as quantity
  from raw.prestashop_stock_availables_change_history as change
  inner join contributors on contributors.stock_id = change.id
  cross join stock_params as params
  cross join lateral jsonb_to_record(change.payload) as fields (id_product text, id_product_attribute text, quantity text)
  where change.changed_at <= params.mark
  order by change.id, (change.changed_at at time zone params.time_zone)::date, change.changed_at desc
)

select
  day_versions.stock_id,
  day_versions.product_id,
  day_versions.variant_id,
  day_versions.quantity,
  day_versions.deleted,
  day_versions.version_date as valid_from,
  coalesce(
    lead(day_versions.version_date) over (partition by day_versions.stock_id order by day_versions.version_date) - 1,
    params.today
  ) as valid_to
from day_versions
cross join stock_params as params;

create temp table stock_written (product_id bigint, variant_id bigint, stock_date date) on commit drop;

delete from analytics.fact_stock_daily as fact
using stock_pairs as pairs
where fact.product_id = pairs.product_id
  and fact.variant_id = pairs.variant_id
  and fact.stock_date >= pairs.from_date;

with recomputed as (
  insert into analytics.fact_stock_daily (product_id, variant_id, stock_date, quantity, is_out_of_stock)
  select
    states.product_id,
    states.variant_id,
    days.day::date,
    sum(states.quantity)::integer,
    sum(states.quantity) <= 0
  from stock_states as states
  inner join stock_pairs as pairs on pairs.product_id = states.product_id and pairs.variant_id = states.variant_id
  cross join lateral generate_series(greatest(states.valid_from, pairs.from_date), states.valid_to, interval '1 day') as days (day)
  where not states.deleted
  group by states.product_id, states.variant_id, days.day::date
  returning product_id, variant_id, stock_date
)

insert into stock_written (product_id, variant_id, stock_date)
select recomputed.product_id, recomputed.variant_id, recomputed.stock_date from recomputed;

-- Every other series carries its last day over to today (once a day: nothing to do while the day is the same).
with carried as (
  insert into analytics.fact_stock_daily (product_id, variant_id, stock_date, quantity, is_out_of_stock)
  select fact.product_id, fact.variant_id, days.day::date, fact.quantity, fact.is_out_of_stock
  from analytics.fact_stock_daily as fact
  cross join stock_params as params
  cross join lateral generate_series(params.previous_today + 1, params.today, interval '1 day') as days (day)
  where fact.stock_date = params.previous_today
    and params.today > params.previous_today
    and not exists (
      select from stock_pairs as pairs
      where pairs.product_id = fact.product_id and pairs.variant_id = fact.variant_id
    )
  returning product_id, variant_id, stock_date
)

insert into stock_written (product_id, variant_id, stock_date)
select carried.product_id, carried.variant_id, carried.stock_date from carried;

analyze stock_written;
