-- Raw copies of the catalog and geography the analytics names things with, with the raw contract of every stream
-- (id, payload as received minus secrets, deleted_at, an append-only history of every version):
-- - addresses, categories and manufacturers change date_upd: read in windows, each with its own watermark;
-- - carriers, countries, combinations and stock_availables carry no date (PrestaShop does not even bump a product's
--   date_upd when its combinations or stock change): read whole by a keyset sweep that writes only changed rows and
--   marks the ids gone. Their history is the stock and price of every variant over time.
create table raw.prestashop_addresses (like raw.prestashop_customers including all);
create table raw.prestashop_addresses_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_categories (like raw.prestashop_customers including all);
create table raw.prestashop_categories_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_manufacturers (like raw.prestashop_customers including all);
create table raw.prestashop_manufacturers_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_carriers (like raw.prestashop_customers including all);
create table raw.prestashop_carriers_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_countries (like raw.prestashop_customers including all);
create table raw.prestashop_countries_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_combinations (like raw.prestashop_customers including all);
create table raw.prestashop_combinations_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_stock_availables (like raw.prestashop_customers including all);
create table raw.prestashop_stock_availables_history (like raw.prestashop_customers_history including all);

create index prestashop_addresses_changed_idx on raw.prestashop_addresses (last_changed_at);
create index prestashop_categories_changed_idx on raw.prestashop_categories (last_changed_at);
create index prestashop_manufacturers_changed_idx on raw.prestashop_manufacturers (last_changed_at);
create index prestashop_carriers_changed_idx on raw.prestashop_carriers (last_changed_at);
create index prestashop_countries_changed_idx on raw.prestashop_countries (last_changed_at);
create index prestashop_combinations_changed_idx on raw.prestashop_combinations (last_changed_at);
create index prestashop_stock_availables_changed_idx on raw.prestashop_stock_availables (last_changed_at);
-- Stock over time is read from history by the day it was recorded.
create index prestashop_stock_availables_history_recorded_idx on raw.prestashop_stock_availables_history (recorded_at);

create trigger stamp_change before insert or update on raw.prestashop_addresses for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_categories for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_manufacturers for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_carriers for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_countries for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_combinations for each row execute function raw.stamp_change();
create trigger stamp_change before insert or update on raw.prestashop_stock_availables for each row execute function raw.stamp_change();

alter table staging.etl_watermarks drop constraint etl_watermarks_entity_check;
alter table staging.etl_watermarks add constraint etl_watermarks_entity_check check (entity in (
  'prestashop_customers', 'prestashop_products', 'prestashop_orders',
  'prestashop_order_slips', 'prestashop_order_payments', 'prestashop_order_histories',
  'prestashop_addresses', 'prestashop_categories', 'prestashop_manufacturers'
));
insert into staging.etl_watermarks (entity, watermark) values
  ('prestashop_addresses', '1970-01-01 00:00:00'),
  ('prestashop_categories', '1970-01-01 00:00:00'),
  ('prestashop_manufacturers', '1970-01-01 00:00:00');

do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    revoke update, delete, truncate on raw.prestashop_addresses_history, raw.prestashop_categories_history,
      raw.prestashop_manufacturers_history, raw.prestashop_carriers_history, raw.prestashop_countries_history,
      raw.prestashop_combinations_history, raw.prestashop_stock_availables_history
      from etl_user;
  end if;
end
$$;
