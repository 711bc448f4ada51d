-- The cleaning functions of 003 threw on the first value they could not cast (a MySQL zero-in-date such as
-- 1990-05-00, an id that overflows, "n/a" as an amount), and one such value failed every refresh. Here they return
-- NULL for anything they cannot parse, and a companion predicate per cast (ps_*_unparseable) tells a value that
-- could not be parsed from one that is empty, so data quality can count and name them (shared/analytics).
--
-- They stay plain SQL that the planner inlines, with no exception handling: a regular expression and range checks
-- decide before any cast runs, so the cast never fails. Each checks the common shape first (digits, a MySQL date)
-- with a cheap test and falls back to the full grammar only for what that misses. Character classes are spelled
-- out ([0-9], the six ASCII spaces of an E'' string) because \d and \s follow the locale and may accept characters
-- the casts refuse, and E'' strings read the same whatever standard_conforming_strings says.
-- What parses gives exactly the type and value of the 003 cast; sql/models/README.md lists what is accepted.

-- Integers: optional whitespace and sign around ASCII digits; out of range is NULL.
create or replace function staging.ps_id(v text) returns bigint
  language sql immutable parallel safe
  as $$
    select case
      when length(v) <= 18 and v ~ '^[0-9]+$' then v::bigint
      when length(v) <= 1000 and v ~ E'^[ \t\n\r\f\013]*[-+]?[0-9]+[ \t\n\r\f\013]*$' then
        case when v::numeric between -9223372036854775808 and 9223372036854775807 then v::bigint end
    end
  $$;

create or replace function staging.ps_int(v text) returns integer
  language sql immutable parallel safe
  as $$
    select case
      when length(v) <= 9 and v ~ '^[0-9]+$' then v::integer
      when length(v) <= 1000 and v ~ E'^[ \t\n\r\f\013]*[-+]?[0-9]+[ \t\n\r\f\013]*$' then
        case when v::numeric between -2147483648 and 2147483647 then v::integer end
    end
  $$;

-- Decimals: digits with an optional point, sign and exponent (within what numeric takes); no NaN or Infinity.
create or replace function staging.ps_numeric(v text) returns numeric
  language sql immutable parallel safe
  as $$
    select case
      when length(v) <= 1000 and v ~ '^[0-9]+([.][0-9]*)?$' then v::numeric
      when length(v) <= 1000 and v ~ E'^[ \t\n\r\f\013]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,3})?[ \t\n\r\f\013]*$' then v::numeric
    end
  $$;

-- Booleans: "0" and "1" as the shop sends them, any other integer (non-zero is true), true and false (JSON).
create or replace function staging.ps_bool(v text) returns boolean
  language sql immutable parallel safe
  as $$
    select case v
      when '1' then true
      when '0' then false
      else case
        when v ~ E'^[ \t\n\r\f\013]*[-+]?[0-9]+[ \t\n\r\f\013]*$' then v ~ '[1-9]'
        when v ~* E'^[ \t\n\r\f\013]*true[ \t\n\r\f\013]*$' then true
        when v ~* E'^[ \t\n\r\f\013]*false[ \t\n\r\f\013]*$' then false
      end
    end
  $$;

-- Days in a month of the proleptic Gregorian calendar (what PostgreSQL's date input checks against).
create or replace function staging.ps_days_in_month(y integer, m integer) returns integer
  language sql immutable parallel safe
  as $$
    select case
      when m = 2 then case when y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0) then 29 else 28 end
      else (array[31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m]
    end
  $$;

-- A real calendar date and time of day in the forms MySQL prints: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, and the latter
-- with up to six decimals of a second. Years 0001 to 9999; zero dates (0000-00-00...) and zero-in-date values
-- (1990-05-00) are not dates. The LIKE pattern fixes where the separators are, translate() that every other
-- character is a digit; only then are the parts read as numbers.
create or replace function staging.ps_is_datetime_text(v text) returns boolean
  language sql immutable parallel safe
  as $$
    select case
      when v like '____-__-__ __:__:__' or v like '____-__-__' or (v like '____-__-__ __:__:__._%' and length(v) <= 26) then
        translate(v, '0123456789', '') in ('--', '-- ::', '-- ::.')
        and substr(v, 1, 4)::integer >= 1
        and substr(v, 6, 2)::integer between 1 and 12
        and (substr(v, 9, 2)::integer between 1 and 28
          or substr(v, 9, 2)::integer between 29 and staging.ps_days_in_month(substr(v, 1, 4)::integer, substr(v, 6, 2)::integer))
        and (length(v) = 10
          or (substr(v, 12, 2)::integer <= 23 and substr(v, 15, 2)::integer <= 59 and substr(v, 18, 2)::integer <= 59))
      else false
    end
  $$;

-- STABLE, not IMMUTABLE as in 003: the text-to-timestamp cast is stable, and PostgreSQL inlines a SQL function
-- only when its body is no more volatile than declared (003's versions were never inlined). Whitespace around a
-- date is tolerated, as the cast tolerates it, at the cost of a second look only for what fails the first.
create or replace function staging.ps_timestamp(v text) returns timestamp
  language sql stable parallel safe
  as $$
    select case
      when staging.ps_is_datetime_text(v) then v::timestamp
      when v ~ E'^[ \t\n\r\f\013]|[ \t\n\r\f\013]$' and staging.ps_is_datetime_text(btrim(v, E' \t\n\r\f\013')) then v::timestamp
    end
  $$;

create or replace function staging.ps_date(v text) returns date
  language sql stable parallel safe
  as $$ select staging.ps_timestamp(v)::date $$;

-- The companion predicates: true for a value that is there (not NULL, not blank, not a zero date) and that the
-- cast turns into NULL. Data quality applies them to the raw text of every field the staging models cast.
create or replace function staging.ps_id_unparseable(v text) returns boolean
  language sql immutable parallel safe
  as $$ select v is not null and btrim(v, E' \t\n\r\f\013') <> '' and staging.ps_id(v) is null $$;

create or replace function staging.ps_int_unparseable(v text) returns boolean
  language sql immutable parallel safe
  as $$ select v is not null and btrim(v, E' \t\n\r\f\013') <> '' and staging.ps_int(v) is null $$;

create or replace function staging.ps_numeric_unparseable(v text) returns boolean
  language sql immutable parallel safe
  as $$ select v is not null and btrim(v, E' \t\n\r\f\013') <> '' and staging.ps_numeric(v) is null $$;

create or replace function staging.ps_bool_unparseable(v text) returns boolean
  language sql immutable parallel safe
  as $$ select v is not null and btrim(v, E' \t\n\r\f\013') <> '' and staging.ps_bool(v) is null $$;

create or replace function staging.ps_timestamp_unparseable(v text) returns boolean
  language sql stable parallel safe
  as $$
    select v is not null and btrim(v, E' \t\n\r\f\013') <> '' and btrim(v, E' \t\n\r\f\013') not like '0000-00-00%'
      and staging.ps_timestamp(v) is null
  $$;

create or replace function staging.ps_date_unparseable(v text) returns boolean
  language sql stable parallel safe
  as $$ select staging.ps_timestamp_unparseable(v) $$;

-- Open data-quality findings of the warning checks, kept up to date by every refresh: a refresh re-checks the rows
-- it changed and every row listed here, so the table always holds the failing rows of the whole warehouse, and a
-- warning's count is that of the whole table rather than of one refresh's changes.
create table staging.data_quality_issues (
  check_name      text not null,
  entity          text not null,
  record_id       text not null,
  -- what failed, for checks that say more than the row (e.g. the fields that could not be parsed)
  fields          text[] not null default '{}',
  first_run_id    bigint,
  last_run_id     bigint,
  first_found_at  timestamptz not null default now(),
  primary key (check_name, entity, record_id)
);
