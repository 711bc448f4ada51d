-- Raw copies of an order's documents, with the raw contract of the first three entities (id, payload as received
-- minus secrets, deleted_at, an append-only history of every version):
-- - order_details and order_cart_rules have no dates of their own: they are refreshed through their order, so they
--   carry parent_id (the order's id) to find the rows an order no longer has;
-- - order_slip (credit slips, listed as order_slips) changes date_upd; order_payments and order_histories only have
--   date_add: each is read in its own windows, with its own watermark.
create table raw.prestashop_order_details (like raw.prestashop_customers including all);
alter table raw.prestashop_order_details add column parent_id bigint;
create table raw.prestashop_order_details_history (like raw.prestashop_customers_history including all);
create index prestashop_order_details_changed_idx on raw.prestashop_order_details (last_changed_at);
create index prestashop_order_details_parent_idx on raw.prestashop_order_details (parent_id);

create table raw.prestashop_order_cart_rules (like raw.prestashop_customers including all);
alter table raw.prestashop_order_cart_rules add column parent_id bigint;
create table raw.prestashop_order_cart_rules_history (like raw.prestashop_customers_history including all);
create index prestashop_order_cart_rules_changed_idx on raw.prestashop_order_cart_rules (last_changed_at);
create index prestashop_order_cart_rules_parent_idx on raw.prestashop_order_cart_rules (parent_id);

create table raw.prestashop_order_slips (like raw.prestashop_customers including all);
create table raw.prestashop_order_slips_history (like raw.prestashop_customers_history including all);
create index prestashop_order_slips_changed_idx on raw.prestashop_order_slips (last_changed_at);

-- date_upd_local holds the date the stream's windows read: date_add for payments and status history.
create table raw.prestashop_order_payments (like raw.prestashop_customers including all);
create table raw.prestashop_order_payments_history (like raw.prestashop_customers_history including all);
create index prestashop_order_payments_changed_idx on raw.prestashop_order_payments (last_changed_at);

create table raw.prestashop_order_histories (like raw.prestashop_customers including all);
create table raw.prestashop_order_histories_history (like raw.prestashop_customers_history including all);
create index prestashop_order_histories_changed_idx on raw.prestashop_order_histories (last_changed_at);

-- Stamped like every raw table (migration 007), whatever code writes them.
create trigger stamp_change before insert or update on raw.prestashop_order_details for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_order_cart_rules for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_order_slips for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_order_payments for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_order_histories for each row execute function raw.stamp_change();

alter table staging.etl_watermarks drop constraint etl_watermarks_entity_check;
alter table staging.etl_watermarks add constraint etl_watermarks_entity_check check (entity in (
  'prestashop_customers', 'prestashop_products', 'prestashop_orders',
  'prestashop_order_slips', 'prestashop_order_payments', 'prestashop_order_histories'
));
insert into staging.etl_watermarks (entity, watermark) values
  ('prestashop_order_slips', '1970-01-01 00:00:00'),
  ('prestashop_order_payments', '1970-01-01 00:00:00'),
  ('prestashop_order_histories', '1970-01-01 00:00:00');

-- The new history tables are append-only for the ETL login, as the others (migration 005; phc roles keeps it so).
do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    revoke update, delete, truncate on raw.prestashop_order_details_history, raw.prestashop_order_cart_rules_history,
      raw.prestashop_order_slips_history, raw.prestashop_order_payments_history, raw.prestashop_order_histories_history
      from etl_user;
  end if;
end
$$;
