-- The three layers, the raw copies of the shop's records, and the ledgers that drive extraction.

create schema if not exists raw;
create schema if not exists staging;
create schema if not exists analytics;

-- raw.prestashop_<entity>: the current payload of every record, as received minus secrets.
-- raw.prestashop_<entity>_history: one row per distinct payload version, append-only.
create table raw.prestashop_customers (
  id               bigint primary key,
  payload          jsonb not null,
  payload_sha256   bytea not null,
  date_upd_local   timestamp,            -- the shop-local date_upd carried by the payload
  first_seen_at    timestamptz not null default now(),
  last_changed_at  timestamptz not null default now(),
  last_seen_at     timestamptz not null default now(),
  last_run_id      bigint,
  deleted_at       timestamptz
);

create table raw.prestashop_customers_history (
  id              bigint not null,
  payload_sha256  bytea not null,
  payload         jsonb not null,
  date_upd_local  timestamp,
  recorded_at     timestamptz not null default now(),
  run_id          bigint,
  primary key (id, payload_sha256)
);

create table raw.prestashop_products (like raw.prestashop_customers including all);
create table raw.prestashop_products_history (like raw.prestashop_customers_history including all);
create table raw.prestashop_orders (like raw.prestashop_customers including all);
create table raw.prestashop_orders_history (like raw.prestashop_customers_history including all);

create index prestashop_customers_changed_idx on raw.prestashop_customers (last_changed_at);
create index prestashop_products_changed_idx on raw.prestashop_products (last_changed_at);
create index prestashop_orders_changed_idx on raw.prestashop_orders (last_changed_at);

-- One row per entity. watermark is the shop-local upper bound of the last finished window.
-- The in_progress_* columns are the checkpoint of a window being read: a crashed run resumes from them.
create table staging.etl_watermarks (
  entity                text primary key check (entity in ('prestashop_customers', 'prestashop_products', 'prestashop_orders')),
  watermark             timestamp not null default '1970-01-01 00:00:00',
  in_progress_lo        timestamp,
  in_progress_hi        timestamp,
  in_progress_last_id   bigint,
  in_progress_run_id    bigint,
  updated_at            timestamptz not null default now(),
  check ((in_progress_lo is null) = (in_progress_hi is null))
);

insert into staging.etl_watermarks (entity, watermark) values
  ('prestashop_orders', '1970-01-01 00:00:00'),
  ('prestashop_customers', '1970-01-01 00:00:00'),
  ('prestashop_products', '1970-01-01 00:00:00');

-- One row per run of any job: sync, reconcile, analytics refresh.
create table staging.etl_runs (
  run_id           bigserial primary key,
  entity           text not null,
  kind             text not null default 'sync' check (kind in ('sync', 'full_refresh', 'reconcile', 'analytics')),
  status           text not null check (status in ('running', 'succeeded', 'partial', 'skipped', 'failed')),
  trigger          text,
  started_at       timestamptz not null default now(),
  finished_at      timestamptz,
  window_lo        timestamp,
  window_hi        timestamp,
  rows_fetched     integer not null default 0,
  rows_changed     integer not null default 0,
  rows_unchanged   integer not null default 0,
  rows_quarantined integer not null default 0,
  pages            integer not null default 0,
  error            text,
  details          jsonb not null default '{}'::jsonb
);

create index etl_runs_entity_started_idx on staging.etl_runs (entity, started_at desc);

-- Records the shop could not serve or that failed validation, kept with the reason and retried on later runs.
create table staging.quarantine (
  entity           text not null,
  record_id        bigint not null,
  reason           text not null,
  payload          jsonb,
  first_seen_at    timestamptz not null default now(),
  last_attempt_at  timestamptz not null default now(),
  attempts         integer not null default 1,
  last_run_id      bigint,
  resolved_at      timestamptz,
  primary key (entity, record_id)
);
