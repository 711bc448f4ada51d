-- Names, catalog and stock for analytics (the raw streams are those of migration 009):
-- - lookups BI can join to: order states, currencies, categories (with their path), manufacturers, carriers,
--   countries; products name their default category and manufacturer, orders their delivery country, payment
--   method and carrier, order lines their variant;
-- - product variants and a daily stock snapshot per product and variant, from every change of a stock row;
-- - cohort_monthly dense, with cohort size and retention;
-- - reading views with money rounded to the currency's precision (the tables stay exact).
-- Table and column comments are not set here: `phc migrate` applies them after the migrations from the
-- declarations in sql/models/analytics/*.yml (shared/db/descriptions.ts).

-- A PrestaShop multilingual field in one language: a list of {id, value} (the language wanted, else the first),
-- or a plain string when the shop has one language.
create function staging.ps_lang(field jsonb, lang_id bigint) returns text
  language sql immutable parallel safe
  as $$
    select case jsonb_typeof(field)
      when 'array' then coalesce(
        (select translation ->> 'value' from jsonb_array_elements(field) as translation
         where translation ->> 'id' = lang_id::text limit 1),
        field -> 0 ->> 'value')
      when 'string' then field #>> '{}'
      when 'number' then field #>> '{}'
    end
  $$;

-- Stock over time. raw.prestashop_stock_availables_history keeps each DISTINCT payload once, so a quantity that
-- returns to an earlier value (10, 9, 10) leaves no trace of the return there. This log keeps every change of a
-- stock row, stamped with the row's last_changed_at (the change fence's stamp, migration 007), whatever writes it.
create table raw.prestashop_stock_availables_change_history (
  id              bigint not null,
  payload_sha256  bytea not null,
  payload         jsonb not null,
  deleted         boolean not null,
  changed_at      timestamptz not null,
  primary key (id, changed_at)
);
create index prestashop_stock_availables_change_history_changed_idx
  on raw.prestashop_stock_availables_change_history (changed_at);

create function raw.record_stock_change() returns trigger
  language plpgsql
  as $$
begin
  -- What raw.stamp_change stamps as a change: a new row, a new payload, deleted_at set or cleared.
  if tg_op = 'INSERT'
     or new.payload_sha256 is distinct from old.payload_sha256
     or new.deleted_at is distinct from old.deleted_at then
    insert into raw.prestashop_stock_availables_change_history (id, payload_sha256, payload, deleted, changed_at)
    values (new.id, new.payload_sha256, new.payload, new.deleted_at is not null, new.last_changed_at)
    on conflict (id, changed_at) do nothing; -- one stamp is one change: a second write with it cannot happen
  end if;
  return null;
end
$$;

create trigger record_stock_change after insert or update on raw.prestashop_stock_availables
  for each row execute function raw.record_stock_change();

-- Staging: the delivery address of an order, and the addresses (only what analytics uses: no names, no streets).
alter table staging.stg_orders add column address_delivery_id bigint;
create index stg_orders_address_delivery_idx on staging.stg_orders (address_delivery_id);
create index stg_orders_carrier_idx on staging.stg_orders (carrier_id);

create table staging.stg_addresses (
  address_id      bigint primary key,
  customer_id     bigint,
  country_id      bigint,
  state_id        bigint,
  is_deleted      boolean,
  raw_deleted_at  timestamptz
);
create index stg_addresses_country_idx on staging.stg_addresses (country_id);

-- Lookups.
create table analytics.dim_order_state (
  order_state_id  bigint primary key,
  state_name      text,
  is_paid         boolean,
  is_shipped      boolean,
  is_delivery     boolean,
  is_logable      boolean,
  is_invoice      boolean,
  is_hidden       boolean,
  is_deleted      boolean,
  color           text,
  module_name     text
);

create table analytics.dim_currency (
  currency_id      bigint primary key,
  iso_code         text,
  currency_name    text,
  symbol           text,
  decimals         integer,
  conversion_rate  numeric,
  is_active        boolean,
  is_deleted       boolean,
  is_default       boolean not null
);

create table analytics.dim_category (
  category_id         bigint primary key,
  parent_category_id  bigint,
  category_name       text,
  category_path       text,
  level_depth         integer,
  is_active           boolean,
  is_root_category    boolean,
  position            integer,
  created_at_local    timestamp,
  updated_at_local    timestamp
);

create table analytics.dim_manufacturer (
  manufacturer_id    bigint primary key,
  manufacturer_name  text,
  is_active          boolean,
  created_at_local   timestamp,
  updated_at_local   timestamp
);

create table analytics.dim_carrier (
  carrier_id            bigint primary key,
  carrier_reference_id  bigint,
  carrier_name          text,
  is_active             boolean,
  is_deleted            boolean,
  is_free               boolean,
  is_module             boolean,
  external_module_name  text
);

create table analytics.dim_country (
  country_id       bigint primary key,
  iso_code         text,
  country_name     text,
  zone_id          bigint,
  call_prefix      integer,
  is_active        boolean,
  contains_states  boolean
);

-- Names on the existing dimension and facts (filled by the models; see the data dictionary).
alter table analytics.dim_product
  add column category_default_name text,
  add column category_path text,
  add column manufacturer_name text;
create index dim_product_category_idx on analytics.dim_product (category_default_id);
create index dim_product_manufacturer_idx on analytics.dim_product (manufacturer_id);

alter table analytics.fact_orders
  add column delivery_address_id bigint,
  add column delivery_country_id bigint,
  add column delivery_country_iso text,
  add column delivery_country_name text,
  add column payment_method text,
  add column payment_module text,
  add column carrier_id bigint,
  add column carrier_name text;

alter table analytics.fact_order_lines add column variant_id bigint;

-- Variants and stock.
create table analytics.dim_product_variant (
  variant_id             bigint primary key,
  product_id             bigint,
  reference              text,
  ean13                  text,
  price_impact_tax_excl  numeric,
  price_tax_excl         numeric,
  wholesale_price        numeric,
  is_default             boolean,
  minimal_quantity       integer
);
create index dim_product_variant_product_idx on analytics.dim_product_variant (product_id);

-- Which product and variant each stock row has named (one row per stock row and name: PrestaShop never renames
-- one), so the stock rows behind a product and variant are found without reading every change.
create table staging.stg_stock_items (
  stock_id    bigint not null,
  product_id  bigint not null,
  variant_id  bigint not null,
  primary key (stock_id, product_id, variant_id)
);
create index stg_stock_items_product_idx on staging.stg_stock_items (product_id, variant_id);

create table analytics.fact_stock_daily (
  product_id       bigint not null,
  variant_id       bigint not null,
  stock_date       date not null,
  quantity         integer not null,
  is_out_of_stock  boolean not null,
  primary key (product_id, variant_id, stock_date)
);
create index fact_stock_daily_date_idx on analytics.fact_stock_daily (stock_date);

-- Cohorts: size and retention on every row; the refresh keeps the table dense.
alter table analytics.cohort_monthly
  add column cohort_customers integer not null default 0,
  add column retention_rate numeric;

-- Reading views: what to chart. Money rounded to its currency's precision (the default currency's for amounts in
-- it, the order's for amounts in the order's currency), names joined in. Sums of the rounded values of many rows
-- drift from the exact sums: the tables keep the exact values, and the daily and monthly views round exact sums.
create view analytics.daily_sales as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  kpi.sales_date,
  kpi.orders_count,
  kpi.valid_orders,
  round(kpi.revenue_tax_excl, money.decimals) as revenue_tax_excl,
  round(kpi.avg_order_value, money.decimals) as avg_order_value,
  kpi.new_customers
from analytics.kpi_daily_sales as kpi
cross join money;

create view analytics.orders as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  fact.order_id,
  fact.reference,
  fact.customer_id,
  fact.order_date,
  fact.ordered_at_local,
  fact.ordered_at,
  fact.is_valid,
  fact.current_state_id,
  state.state_name as current_state_name,
  state.is_paid as current_state_is_paid,
  state.is_shipped as current_state_is_shipped,
  fact.currency_id,
  currency.iso_code as currency_iso_code,
  fact.payment_method,
  fact.payment_module,
  fact.carrier_id,
  fact.carrier_name,
  fact.delivery_country_id,
  fact.delivery_country_iso,
  fact.delivery_country_name,
  round(fact.total_paid_tax_incl, coalesce(currency.decimals, 2)) as total_paid_tax_incl,
  round(fact.total_paid_tax_excl, coalesce(currency.decimals, 2)) as total_paid_tax_excl,
  round(fact.total_products, coalesce(currency.decimals, 2)) as total_products,
  round(fact.total_shipping_tax_excl, coalesce(currency.decimals, 2)) as total_shipping_tax_excl,
  round(fact.total_discounts_tax_excl, coalesce(currency.decimals, 2)) as total_discounts_tax_excl,
  fact.conversion_rate,
  round(fact.revenue_tax_excl, money.decimals) as revenue_tax_excl
from analytics.fact_orders as fact
cross join money
left join analytics.dim_order_state as state on state.order_state_id = fact.current_state_id
left join analytics.dim_currency as currency on currency.currency_id = fact.currency_id;

create view analytics.order_lines as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  line.order_line_id,
  line.order_id,
  line.order_date,
  fact.is_valid,
  line.product_id,
  line.variant_id,
  line.product_name,
  line.product_reference,
  variant.reference as variant_reference,
  product.category_default_id,
  product.category_default_name,
  product.category_path,
  product.manufacturer_id,
  product.manufacturer_name,
  line.quantity,
  round(line.unit_price_tax_excl, coalesce(currency.decimals, 2)) as unit_price_tax_excl,
  round(line.unit_price_tax_incl, coalesce(currency.decimals, 2)) as unit_price_tax_incl,
  round(line.line_total_tax_excl, coalesce(currency.decimals, 2)) as line_total_tax_excl,
  round(line.line_revenue_tax_excl, money.decimals) as line_revenue_tax_excl
from analytics.fact_order_lines as line
cross join money
inner join analytics.fact_orders as fact on fact.order_id = line.order_id
left join analytics.dim_currency as currency on currency.currency_id = fact.currency_id
left join analytics.dim_product as product on product.product_id = line.product_id
left join analytics.dim_product_variant as variant on variant.variant_id = line.variant_id;

create view analytics.customers as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  customer.customer_id,
  customer.is_guest,
  customer.is_active,
  customer.is_deleted,
  customer.is_newsletter,
  customer.customer_status,
  customer.created_at,
  customer.first_order_date,
  customer.last_order_date,
  customer.orders_count,
  customer.valid_orders_count,
  customer.first_valid_order_date,
  customer.cohort_month,
  round(customer.lifetime_revenue_tax_excl, money.decimals) as lifetime_revenue_tax_excl
from analytics.dim_customer as customer
cross join money;

create view analytics.cohort_retention as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  cohort.cohort_month,
  cohort.months_since,
  (cohort.cohort_month + make_interval(months => cohort.months_since))::date as activity_month,
  cohort.cohort_customers,
  cohort.customers as active_customers,
  cohort.retention_rate,
  cohort.valid_orders,
  round(cohort.revenue_tax_excl, money.decimals) as revenue_tax_excl
from analytics.cohort_monthly as cohort
cross join money;

-- Stock-outs per product, over the whole stock history: the product's own stock row (variant 0, which PrestaShop
-- keeps as the sum of its variants), and the days any of its variants was out.
create view analytics.kpi_product_stock_outs as
with product_days as (
  select
    stock.product_id,
    count(*) as days_tracked,
    count(*) filter (where stock.is_out_of_stock) as stock_out_days,
    min(stock.stock_date) as first_tracked_date,
    max(stock.stock_date) as last_tracked_date,
    max(stock.stock_date) filter (where stock.is_out_of_stock) as last_stock_out_date
  from analytics.fact_stock_daily as stock
  where stock.variant_id = 0
  group by stock.product_id
),

variant_days as (
  select stock.product_id, count(distinct stock.stock_date) as days_with_a_variant_out
  from analytics.fact_stock_daily as stock
  where stock.variant_id <> 0 and stock.is_out_of_stock
  group by stock.product_id
),

latest as (
  select stock.product_id, stock.quantity, stock.is_out_of_stock
  from analytics.fact_stock_daily as stock
  inner join product_days on product_days.product_id = stock.product_id
    and product_days.last_tracked_date = stock.stock_date
  where stock.variant_id = 0
)

select
  product_days.product_id,
  product.product_name,
  product.category_default_name,
  product_days.first_tracked_date,
  product_days.last_tracked_date,
  product_days.days_tracked,
  product_days.stock_out_days,
  round(product_days.stock_out_days::numeric / product_days.days_tracked, 4) as stock_out_share,
  product_days.last_stock_out_date,
  coalesce(variant_days.days_with_a_variant_out, 0) as days_with_a_variant_out,
  latest.quantity as latest_quantity,
  latest.is_out_of_stock as is_out_of_stock_now
from product_days
left join variant_days on variant_days.product_id = product_days.product_id
left join latest on latest.product_id = product_days.product_id
left join analytics.dim_product as product on product.product_id = product_days.product_id;

-- The next refresh rebuilds everything, so the rows already in analytics get the new columns too.
update staging.analytics_state set checkpoint = null;

-- Roles that exist already: the new tables get what default privileges give them when phc roles ran as this login,
-- granted here by name in case another login did; the stock log is append-only for the ETL login, like history.
do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    grant select, insert, update, delete on staging.stg_addresses, staging.stg_stock_items, analytics.dim_order_state, analytics.dim_currency,
      analytics.dim_category, analytics.dim_manufacturer, analytics.dim_carrier, analytics.dim_country,
      analytics.dim_product_variant, analytics.fact_stock_daily to etl_user;
    grant select, insert on raw.prestashop_stock_availables_change_history to etl_user;
    revoke update, delete, truncate on raw.prestashop_stock_availables_change_history from etl_user;
  end if;
  if exists (select from pg_catalog.pg_roles where rolname = 'analytics_reader') then
    grant select on all tables in schema analytics to analytics_reader;
  end if;
end
$$;
