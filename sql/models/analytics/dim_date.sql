-- dim_date: a fixed calendar, 2000-01-01 to 2049-12-31 (dates outside it are flagged by data quality).
-- It does not depend on the data, so incremental and full refreshes give the same table.
insert into analytics.dim_date (
  date_day, year, quarter, month, month_start, month_name, iso_year, iso_week, day_of_week, day_name, is_weekend
)
with calendar as (
  select generated.day::date as date_day
  from generate_series(date '2000-01-01', date '2049-12-31', interval '1 day') as generated (day)
  where not exists (select from analytics.dim_date where analytics.dim_date.date_day = date '2049-12-31')
)

select
  calendar.date_day,
  extract(year from calendar.date_day)::integer,
  extract(quarter from calendar.date_day)::integer,
  extract(month from calendar.date_day)::integer,
  date_trunc('month', calendar.date_day)::date,
  to_char(calendar.date_day, 'FMMonth'),
  extract(isoyear from calendar.date_day)::integer,
  extract(week from calendar.date_day)::integer,
  extract(isodow from calendar.date_day)::integer,
  to_char(calendar.date_day, 'FMDay'),
  extract(isodow from calendar.date_day) in (6, 7)
from calendar
on conflict (date_day) do nothing;
