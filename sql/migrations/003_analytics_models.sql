-- Staging models, analytics tables, the refresh checkpoint, shop reference data, data-quality results and the
-- schema-key registry. The tables are created here (by the migration owner) so default privileges give etl_user
-- DML and analytics_reader SELECT; the refresh (sql/models) only ever runs DML on them.

-- Cleaning helpers for PrestaShop's string-typed values; simple SQL functions, inlined by the planner.
create function staging.ps_id(v text) returns bigint
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' then null else v::bigint end $$;

create function staging.ps_int(v text) returns integer
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' then null else v::integer end $$;

create function staging.ps_numeric(v text) returns numeric
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' then null else v::numeric end $$;

create function staging.ps_bool(v text) returns boolean
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' then null else v <> '0' end $$;

create function staging.ps_timestamp(v text) returns timestamp
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' or v like '0000-00-00%' then null else v::timestamp end $$;

create function staging.ps_date(v text) returns date
  language sql immutable parallel safe
  as $$ select case when v is null or btrim(v) = '' or v like '0000-00-00%' then null else v::date end $$;

-- Reference data (order_states, currencies, languages, configurations), replaced whole on every load.
create table staging.shop_reference (
  resource   text not null check (resource in ('order_states', 'currencies', 'languages', 'configurations')),
  id         bigint not null,
  payload    jsonb not null,
  loaded_at  timestamptz not null default now(),
  primary key (resource, id)
);

-- The shop settings the models depend on; one row.
create table staging.shop_settings (
  singleton            boolean primary key default true check (singleton),
  default_currency_id  bigint,
  default_lang_id      bigint,
  time_zone            text,
  time_zone_source     text,
  loaded_at            timestamptz not null default now()
);

-- The refresh checkpoint: raw rows stamped after it are not processed yet. Committed with the results.
create table staging.analytics_state (
  singleton        boolean primary key default true check (singleton),
  checkpoint       timestamptz,
  time_zone        text,
  default_lang_id  bigint,
  last_run_id      bigint,
  updated_at       timestamptz not null default now()
);
insert into staging.analytics_state (singleton) values (true);

create table staging.data_quality_results (
  result_id      bigserial primary key,
  run_id         bigint not null,
  check_name     text not null,
  entity         text not null,
  severity       text not null check (severity in ('critical', 'warning')),
  status         text not null check (status in ('pass', 'fail')),
  failing_count  bigint not null,
  sample_ids     text[] not null default '{}',
  details        jsonb not null default '{}'::jsonb,
  checked_at     timestamptz not null default now()
);
create index data_quality_results_run_idx on staging.data_quality_results (run_id);
create index data_quality_results_check_idx on staging.data_quality_results (check_name, entity, checked_at desc);

-- Top-level payload keys seen per raw entity, for schema-drift detection.
create table staging.schema_keys (
  entity         text not null,
  json_key       text not null,
  first_seen_at  timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  missing_since  timestamptz,
  primary key (entity, json_key)
);

-- Staging models: typed and cleaned copies of raw, one row per raw row (deleted ones flagged).
create table staging.stg_customers (
  customer_id          bigint primary key,
  default_group_id     bigint,
  lang_id              bigint,
  gender_id            bigint,
  shop_id              bigint,
  is_guest             boolean,
  is_active            boolean,
  is_deleted           boolean,
  is_newsletter        boolean,
  is_optin             boolean,
  birthday             date,
  newsletter_at_local  timestamp,
  newsletter_at        timestamptz,
  created_at_local     timestamp,
  created_at           timestamptz,
  updated_at_local     timestamp,
  updated_at           timestamptz,
  raw_deleted_at       timestamptz
);

create table staging.stg_products (
  product_id            bigint primary key,
  reference             text,
  product_name          text,
  product_names         jsonb,
  product_type          text,
  manufacturer_id       bigint,
  supplier_id           bigint,
  category_default_id   bigint,
  price_tax_excl        numeric,
  wholesale_price       numeric,
  is_active             boolean,
  is_virtual            boolean,
  state                 integer,
  created_at_local      timestamp,
  created_at            timestamptz,
  updated_at_local      timestamp,
  updated_at            timestamptz,
  raw_deleted_at        timestamptz
);

create table staging.stg_orders (
  order_id                  bigint primary key,
  reference                 text,
  customer_id               bigint,
  cart_id                   bigint,
  currency_id               bigint,
  lang_id                   bigint,
  carrier_id                bigint,
  shop_id                   bigint,
  current_state_id          bigint,
  is_valid                  boolean,
  module                    text,
  payment                   text,
  conversion_rate           numeric,
  total_paid_tax_incl       numeric,
  total_paid_tax_excl       numeric,
  total_paid_real           numeric,
  total_products            numeric,
  total_products_wt         numeric,
  total_discounts_tax_excl  numeric,
  total_shipping_tax_excl   numeric,
  total_wrapping_tax_excl   numeric,
  invoice_number            bigint,
  invoice_at_local          timestamp,
  invoice_at                timestamptz,
  delivery_at_local         timestamp,
  delivery_at               timestamptz,
  order_date                date,
  created_at_local          timestamp,
  created_at                timestamptz,
  updated_at_local          timestamp,
  updated_at                timestamptz,
  raw_deleted_at            timestamptz
);

-- No unique key on order_line_id: a duplicate from the shop must reach the data-quality check, not abort the load.
create table staging.stg_order_lines (
  order_line_id         bigint,
  order_id              bigint not null,
  product_id            bigint,
  product_attribute_id  bigint,
  customization_id      bigint,
  quantity              integer,
  product_name          text,
  product_reference     text,
  product_price         numeric,
  unit_price_tax_incl   numeric,
  unit_price_tax_excl   numeric
);
create index stg_order_lines_order_idx on staging.stg_order_lines (order_id);

create table staging.stg_order_states (
  order_state_id  bigint primary key,
  state_name      text,
  is_logable      boolean,
  is_paid         boolean,
  is_shipped      boolean,
  is_delivery     boolean,
  is_invoice      boolean,
  is_hidden       boolean,
  is_deleted      boolean,
  color           text,
  module_name     text
);

create table staging.stg_currencies (
  currency_id       bigint primary key,
  iso_code          text,
  numeric_iso_code  text,
  currency_name     text,
  symbol            text,
  decimals          integer,
  conversion_rate   numeric,
  is_active         boolean,
  is_deleted        boolean,
  is_default        boolean
);

-- Analytics: what BI reads.
create table analytics.dim_date (
  date_day      date primary key,
  year          integer not null,
  quarter       integer not null,
  month         integer not null,
  month_start   date not null,
  month_name    text not null,
  iso_year      integer not null,
  iso_week      integer not null,
  day_of_week   integer not null,
  day_name      text not null,
  is_weekend    boolean not null
);

create table analytics.dim_customer (
  customer_id                bigint primary key,
  is_guest                   boolean,
  is_active                  boolean,
  is_deleted                 boolean,
  is_newsletter              boolean,
  default_group_id           bigint,
  lang_id                    bigint,
  created_at_local           timestamp,
  created_at                 timestamptz,
  first_order_id             bigint,
  first_order_date           date,
  last_order_date            date,
  orders_count               integer not null,
  valid_orders_count         integer not null,
  first_valid_order_id       bigint,
  first_valid_order_date     date,
  cohort_month               date,
  lifetime_revenue_tax_excl  numeric not null,
  customer_status            text not null check (customer_status in ('prospect', 'new', 'returning'))
);

create table analytics.dim_product (
  product_id           bigint primary key,
  reference            text,
  product_name         text,
  product_names        jsonb,
  product_type         text,
  manufacturer_id      bigint,
  category_default_id  bigint,
  price_tax_excl       numeric,
  is_active            boolean,
  is_virtual           boolean,
  created_at_local     timestamp,
  created_at           timestamptz,
  updated_at_local     timestamp,
  updated_at           timestamptz
);

create table analytics.fact_orders (
  order_id                  bigint primary key,
  customer_id               bigint,
  order_date                date,
  ordered_at_local          timestamp,
  ordered_at                timestamptz,
  reference                 text,
  current_state_id          bigint,
  is_valid                  boolean not null,
  currency_id               bigint,
  conversion_rate           numeric,
  total_paid_tax_incl       numeric,
  total_paid_tax_excl       numeric,
  total_products            numeric,
  total_shipping_tax_excl   numeric,
  total_discounts_tax_excl  numeric,
  revenue_tax_excl          numeric
);
create index fact_orders_customer_idx on analytics.fact_orders (customer_id);
create index fact_orders_date_idx on analytics.fact_orders (order_date);

-- order_line_id is the key (checked unique by data quality); no constraint, for the same reason as stg_order_lines.
create table analytics.fact_order_lines (
  order_line_id          bigint,
  order_id               bigint not null,
  product_id             bigint,
  product_attribute_id   bigint,
  order_date             date,
  quantity               integer,
  product_name           text,
  product_reference      text,
  unit_price_tax_excl    numeric,
  unit_price_tax_incl    numeric,
  line_total_tax_excl    numeric,
  line_revenue_tax_excl  numeric
);
create index fact_order_lines_order_idx on analytics.fact_order_lines (order_id);
create index fact_order_lines_line_idx on analytics.fact_order_lines (order_line_id);
create index fact_order_lines_product_idx on analytics.fact_order_lines (product_id);

create table analytics.kpi_daily_sales (
  sales_date        date primary key,
  orders_count      integer not null,
  valid_orders      integer not null,
  revenue_tax_excl  numeric not null,
  avg_order_value   numeric,
  new_customers     integer not null
);

-- Customers by the month of their first valid order, and what they bought months_since months later.
create table analytics.cohort_monthly (
  cohort_month      date not null,
  months_since      integer not null,
  customers         integer not null,
  valid_orders      integer not null,
  revenue_tax_excl  numeric not null,
  primary key (cohort_month, months_since)
);
