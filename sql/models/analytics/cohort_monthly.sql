-- cohort_monthly: customers by the month of their first valid order (cohort_month) and, months_since months
-- later, how many of them ordered (valid orders) and for how much. Corrected by difference for the affected
-- customers: minus their rows before, plus their rows now; then kept dense, with cohort size and retention.
create temp table cohort_deltas on commit drop as
with before_cells as (
  select
    date_trunc('month', before_first_valid.first_valid_order_date)::date as cohort_month,
    before_customer_months.order_month,
    -1 as customers_delta,
    -before_customer_months.valid_orders as valid_orders_delta,
    -coalesce(before_customer_months.revenue_tax_excl, 0) as revenue_delta
  from before_customer_months
  inner join before_first_valid on before_first_valid.customer_id = before_customer_months.customer_id
),

after_cells as (
  select
    date_trunc('month', after_first_valid.first_valid_order_date)::date as cohort_month,
    after_customer_months.order_month,
    1 as customers_delta,
    after_customer_months.valid_orders as valid_orders_delta,
    coalesce(after_customer_months.revenue_tax_excl, 0) as revenue_delta
  from after_customer_months
  inner join after_first_valid on after_first_valid.customer_id = after_customer_months.customer_id
),

all_cells as (
  select before_cells.cohort_month, before_cells.order_month, before_cells.customers_delta,
    before_cells.valid_orders_delta, before_cells.revenue_delta
  from before_cells
  union all
  select after_cells.cohort_month, after_cells.order_month, after_cells.customers_delta,
    after_cells.valid_orders_delta, after_cells.revenue_delta
  from after_cells
),

months as (
  select
    all_cells.cohort_month,
    ((extract(year from all_cells.order_month) - extract(year from all_cells.cohort_month)) * 12
      + extract(month from all_cells.order_month) - extract(month from all_cells.cohort_month))::integer as months_since,
    all_cells.customers_delta,
    all_cells.valid_orders_delta,
    all_cells.revenue_delta
  from all_cells
  where all_cells.cohort_month is not null
)

select
  months.cohort_month,
  months.months_since,
  sum(months.customers_delta)::integer as customers_delta,
  sum(months.valid_orders_delta)::integer as valid_orders_delta,
  sum(months.revenue_delta) as revenue_delta
from months
group by months.cohort_month, months.months_since;

insert into analytics.cohort_monthly as cohort (cohort_month, months_since, customers, valid_orders, revenue_tax_excl)
select
  cohort_deltas.cohort_month, cohort_deltas.months_since, cohort_deltas.customers_delta,
  cohort_deltas.valid_orders_delta, cohort_deltas.revenue_delta
from cohort_deltas
on conflict (cohort_month, months_since) do update set
  customers = cohort.customers + excluded.customers,
  valid_orders = cohort.valid_orders + excluded.valid_orders,
  revenue_tax_excl = cohort.revenue_tax_excl + excluded.revenue_tax_excl;

update analytics.cohort_monthly as cohort
set revenue_tax_excl = trim_scale(cohort.revenue_tax_excl)
from cohort_deltas
where cohort.cohort_month = cohort_deltas.cohort_month
  and cohort.months_since = cohort_deltas.months_since;

-- Dense: each cohort has a row for every month from its first to the last month anyone ordered in (zero rows
-- included), each with the cohort's size (its customers at months_since 0) and the share of it active that month.
-- The grid follows the data, not the clock, and the table is small (cohorts x months): it is kept whole whenever
-- anything changed.
create temp table cohort_grid on commit drop as
with cohorts as (
  select cohort.cohort_month, cohort.customers as cohort_customers
  from analytics.cohort_monthly as cohort
  where cohort.months_since = 0
    and cohort.customers > 0
    and exists (select from cohort_deltas)
),

last_month as (
  select max(cohort.cohort_month + make_interval(months => cohort.months_since))::date as activity_month
  from analytics.cohort_monthly as cohort
  where cohort.customers > 0
    and exists (select from cohort_deltas)
)

select cohorts.cohort_month, months.months_since, cohorts.cohort_customers
from cohorts
cross join last_month
cross join lateral generate_series(
  0,
  ((extract(year from last_month.activity_month) - extract(year from cohorts.cohort_month)) * 12
    + extract(month from last_month.activity_month) - extract(month from cohorts.cohort_month))::integer
) as months (months_since);

-- A cell with customers lies inside the grid (its cohort has them at months_since 0, and its month is at most the
-- last), so only empty cells fall outside it.
delete from analytics.cohort_monthly as cohort
where cohort.customers = 0
  and exists (select from cohort_deltas)
  and not exists (
    select from cohort_grid as grid
    where grid.cohort_month = cohort.cohort_month and grid.months_since = cohort.months_since
  );

insert into analytics.cohort_monthly (
  cohort_month, months_since, customers, valid_orders, revenue_tax_excl, cohort_customers, retention_rate
)
select cohort_grid.cohort_month, cohort_grid.months_since, 0, 0, 0, cohort_grid.cohort_customers, null
from cohort_grid
on conflict (cohort_month, months_since) do nothing;

-- New cells have no rate yet; the comparison is of text, so that 0 and 0.0000 (equal numbers) are told apart and
-- every rate is written the same way, whichever path made the cell.
update analytics.cohort_monthly as cohort
set
  cohort_customers = cohort_grid.cohort_customers,
  retention_rate = round(cohort.customers::numeric / cohort_grid.cohort_customers, 4)
from cohort_grid
where cohort.cohort_month = cohort_grid.cohort_month
  and cohort.months_since = cohort_grid.months_since
  and (
    cohort.cohort_customers is distinct from cohort_grid.cohort_customers
    or cohort.retention_rate::text is distinct from round(cohort.customers::numeric / cohort_grid.cohort_customers, 4)::text
  );
