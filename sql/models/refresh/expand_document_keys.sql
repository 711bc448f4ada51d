-- The order documents are refreshed through their order: a changed order detail, voucher, credit slip or status
-- history row makes its order (the one it names now, and the one it named before) a changed order, so the facts
-- and the by-difference KPI corrections of that order are redone by the same models. Payments name orders by
-- reference only and feed no order fact: they are refreshed on their own (fact_payments.sql).
create temp table slip_orders on commit drop as
select refunds.order_id
from analytics.fact_refunds as refunds
inner join chg_slips as chg on chg.slip_id = refunds.slip_id
where refunds.order_id is not null
union
select staging.ps_id(raw_slips.payload ->> 'id_order')
from raw.prestashop_order_slips as raw_slips
inner join chg_slips as chg on chg.slip_id = raw_slips.id
where staging.ps_id(raw_slips.payload ->> 'id_order') is not null;

-- The orders whose status history is rebuilt (fact_order_status_changes.sql).
create temp table history_orders on commit drop as
select changes.order_id
from analytics.fact_order_status_changes as changes
inner join chg_histories as chg on chg.history_id = changes.history_id
where changes.order_id is not null
union
select staging.ps_id(raw_histories.payload ->> 'id_order')
from raw.prestashop_order_histories as raw_histories
inner join chg_histories as chg on chg.history_id = raw_histories.id
where staging.ps_id(raw_histories.payload ->> 'id_order') is not null;
alter table history_orders add primary key (order_id);
analyze history_orders;

-- Details and vouchers keep their order in parent_id (migration 008), also once deleted.
insert into chg_orders (order_id)
select raw_details.parent_id
from raw.prestashop_order_details as raw_details
inner join chg_order_details as chg on chg.order_detail_id = raw_details.id
where raw_details.parent_id is not null
union
select raw_rules.parent_id
from raw.prestashop_order_cart_rules as raw_rules
inner join chg_order_cart_rules as chg on chg.order_cart_rule_id = raw_rules.id
where raw_rules.parent_id is not null
union
select slip_orders.order_id from slip_orders
union
select history_orders.order_id from history_orders
on conflict do nothing;

analyze chg_orders;
