-- fact_payments: one row per payment the shop recorded (order_payment), in the default currency: the amount divided
-- by the payment's own conversion_rate (a payment may be in another currency than its order). Payments name their
-- orders by reference and feed no other fact, so only the changed ones are rebuilt. The references they named
-- before and name now are kept for the payments_match_orders check.
create temp table touched_payment_refs on commit drop as
select fact.order_reference
from analytics.fact_payments as fact
inner join chg_payments as chg on chg.payment_id = fact.payment_id
where fact.order_reference is not null;

delete from analytics.fact_payments as fact
using chg_payments as chg
where fact.payment_id = chg.payment_id;

insert into analytics.fact_payments (
  payment_id, order_reference, payment_date, paid_at, payment_method, currency_id, conversion_rate, amount
)
with typed as (
  select
    raw_payments.id as payment_id,
    nullif(fields.order_reference, '') as order_reference,
    staging.ps_timestamp(fields.date_add) as paid_at_local,
    nullif(fields.payment_method, '') as payment_method,
    staging.ps_id(fields.id_currency) as currency_id,
    nullif(staging.ps_numeric(fields.conversion_rate), 0) as conversion_rate,
    staging.ps_numeric(fields.amount) as amount
  from raw.prestashop_order_payments as raw_payments
  inner join chg_payments as chg on chg.payment_id = raw_payments.id
  cross join lateral jsonb_to_record(raw_payments.payload) as fields (
    order_reference text, date_add text, payment_method text, id_currency text, conversion_rate text, amount text
  )
  where raw_payments.deleted_at is null
)

select
  typed.payment_id, typed.order_reference, typed.paid_at_local::date, typed.paid_at_local at time zone params.time_zone,
  typed.payment_method, typed.currency_id, typed.conversion_rate, trim_scale(typed.amount / typed.conversion_rate)
from typed
cross join (select time_zone from _refresh) as params;

insert into touched_payment_refs (order_reference)
select fact.order_reference
from analytics.fact_payments as fact
inner join chg_payments as chg on chg.payment_id = fact.payment_id
where fact.order_reference is not null;
analyze touched_payment_refs;
