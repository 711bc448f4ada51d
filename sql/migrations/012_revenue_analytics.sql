-- Revenue that matches the bank: the order documents of migration 008 in analytics.
-- - order lines gain their cost and what was refunded or returned of them (order_details);
-- - orders gain gross sales, discounts, shipping, refunds, cost of goods and margin, and when they were paid,
--   shipped and delivered (order_histories);
-- - credit slips, payments, status changes and the vouchers of an order become facts of their own;
-- - the daily KPIs gain gross and net sales, refunds, units and margin; the reading views their money rounded.
-- Money in the default currency, tax excluded, exact NUMERIC: each amount divided by the conversion_rate of the
-- document that carries it. Comments come from sql/models/analytics/*.yml (phc migrate), as for migration 011.

-- Slip details, one row per line refunded by a credit slip (no key: the shop may repeat a line within a slip).
create table staging.stg_slip_lines (
  slip_id          bigint not null,
  order_id         bigint,
  order_detail_id  bigint,
  quantity         integer,
  amount_tax_excl  numeric
);
create index stg_slip_lines_slip_idx on staging.stg_slip_lines (slip_id);
create index stg_slip_lines_detail_idx on staging.stg_slip_lines (order_detail_id);

-- Payments name their orders by reference only.
create index stg_orders_reference_idx on staging.stg_orders (reference);

alter table analytics.fact_order_lines
  add column unit_cost numeric,
  add column quantity_refunded integer,
  add column quantity_returned integer,
  add column refunded_tax_excl numeric;

-- The lines_without_cost warning finds a product's lines without a cost through this index alone.
create index fact_order_lines_without_cost_idx on analytics.fact_order_lines (product_id)
  where unit_cost is null and quantity_refunded is not null;

alter table analytics.fact_orders
  add column gross_sales_tax_excl numeric,
  add column discounts_tax_excl numeric,
  add column shipping_tax_excl numeric,
  add column refunded_tax_excl numeric,
  add column cost_of_goods numeric,
  add column gross_margin_tax_excl numeric,
  add column paid_at timestamptz,
  add column shipped_at timestamptz,
  add column delivered_at timestamptz;

alter table analytics.kpi_daily_sales
  add column gross_sales_tax_excl numeric not null default 0,
  add column discounts_tax_excl numeric not null default 0,
  add column shipping_tax_excl numeric not null default 0,
  add column units_sold bigint not null default 0,
  add column refunds_tax_excl numeric not null default 0,
  add column net_sales_tax_excl numeric not null default 0,
  add column gross_margin_tax_excl numeric not null default 0,
  add column orders_without_cost integer not null default 0;

create table analytics.fact_refunds (
  slip_id            bigint primary key,
  order_id           bigint,
  refund_date        date,
  refunded_at        timestamptz,
  conversion_rate    numeric,
  products_tax_excl  numeric,
  shipping_tax_excl  numeric
);
create index fact_refunds_order_idx on analytics.fact_refunds (order_id);
create index fact_refunds_date_idx on analytics.fact_refunds (refund_date);

create table analytics.fact_payments (
  payment_id       bigint primary key,
  order_reference  text,
  payment_date     date,
  paid_at          timestamptz,
  payment_method   text,
  currency_id      bigint,
  conversion_rate  numeric,
  amount           numeric
);
create index fact_payments_reference_idx on analytics.fact_payments (order_reference);

create table analytics.fact_order_status_changes (
  history_id              bigint primary key,
  order_id                bigint,
  state_id                bigint,
  changed_at              timestamptz,
  previous_state_id       bigint,
  seconds_since_previous  bigint
);
create index fact_order_status_changes_order_idx on analytics.fact_order_status_changes (order_id);

create table analytics.fact_order_discounts (
  order_cart_rule_id  bigint primary key,
  order_id            bigint,
  cart_rule_id        bigint,
  name                text,
  value_tax_excl      numeric
);
create index fact_order_discounts_order_idx on analytics.fact_order_discounts (order_id);

-- Reading views: the new money appended (existing columns keep their names and order).
create or replace view analytics.daily_sales as
with money as (
  select coalesce((select currency.decimals from analytics.dim_currency as currency where currency.is_default limit 1), 2) as decimals
)
select
  kpi.sales_date,
  kpi.orders_count,
  kpi.valid_orders,
  round(kpi.revenue_tax_excl, money.decimals) as revenue_tax_excl,
  round(kpi.avg_order_value, money.decimals) as avg_order_value,
  kpi.new_customers,
  round(kpi.gross_sales_tax_excl, money.decimals) as gross_sales_tax_excl,
  round(kpi.discounts_tax_excl, money.decimals) as discounts_tax_excl,
  round(kpi.shipping_tax_excl, money.decimals) as shipping_tax_excl,
  kpi.units_sold,
  round(kpi.refunds_tax_excl, money.decimals) as refunds_tax_excl,
  round(kpi.net_sales_tax_excl, money.decimals) as net_sales_tax_excl,
  round(kpi.gross_margin_tax_excl, money.decimals) as gross_margin_tax_excl,
  kpi.orders_without_cost
from analytics.kpi_daily_sales as kpi
cross join money;

create or replace view analytics.orders as
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
  round(fact.revenue_tax_excl, money.decimals) as revenue_tax_excl,
  round(fact.gross_sales_tax_excl, money.decimals) as gross_sales_tax_excl,
  round(fact.discounts_tax_excl, money.decimals) as discounts_tax_excl,
  round(fact.shipping_tax_excl, money.decimals) as shipping_tax_excl,
  round(fact.refunded_tax_excl, money.decimals) as refunded_tax_excl,
  round(fact.cost_of_goods, money.decimals) as cost_of_goods,
  round(fact.gross_margin_tax_excl, money.decimals) as gross_margin_tax_excl,
  fact.paid_at,
  fact.shipped_at,
  fact.delivered_at
from analytics.fact_orders as fact
cross join money
left join analytics.dim_order_state as state on state.order_state_id = fact.current_state_id
left join analytics.dim_currency as currency on currency.currency_id = fact.currency_id;

create or replace view analytics.order_lines as
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
  round(line.line_revenue_tax_excl, money.decimals) as line_revenue_tax_excl,
  round(line.unit_cost, money.decimals) as unit_cost,
  line.quantity_refunded,
  line.quantity_returned,
  round(line.refunded_tax_excl, money.decimals) as refunded_tax_excl
from analytics.fact_order_lines as line
cross join money
inner join analytics.fact_orders as fact on fact.order_id = line.order_id
left join analytics.dim_currency as currency on currency.currency_id = fact.currency_id
left join analytics.dim_product as product on product.product_id = line.product_id
left join analytics.dim_product_variant as variant on variant.variant_id = line.variant_id;

-- The next refresh rebuilds everything, so the rows already in analytics get the new columns too.
update staging.analytics_state set checkpoint = null;

-- Roles that exist already: what default privileges give the new tables when phc roles ran as this login, granted
-- here by name in case another login did.
do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    grant select, insert, update, delete on staging.stg_slip_lines, analytics.fact_refunds, analytics.fact_payments,
      analytics.fact_order_status_changes, analytics.fact_order_discounts to etl_user;
  end if;
  if exists (select from pg_catalog.pg_roles where rolname = 'analytics_reader') then
    grant select on all tables in schema analytics to analytics_reader;
  end if;
end
$$;
