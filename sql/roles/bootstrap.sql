-- Least-privilege roles. Run by the database owner/admin (`phc roles`), after `phc migrate`, as often as wanted.
-- Works where the admin is not a superuser (Azure Flexible Server: azure_pg_admin with CREATEROLE); phc checks the
-- login first (shared/db/roles.ts). Passwords and analytics_reader's statement_timeout are set by phc after this
-- script, from settings. Migration 005 applies the same rules to a database whose roles predate them.

do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    begin
      create role etl_user login nosuperuser nocreatedb nocreaterole noreplication;
    exception when duplicate_object then null; -- another bootstrap won the race
    end;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'analytics_reader') then
    begin
      create role analytics_reader login nosuperuser nocreatedb nocreaterole noreplication;
    exception when duplicate_object then null;
    end;
  end if;
end
$$;

-- The database: both connect; only etl_user makes temp tables (the refresh and the reconciliation need them).
-- Every database grants TEMP to PUBLIC, so it is taken from PUBLIC too; roles that need it get it by name.
do $$
begin
  execute format('grant connect on database %I to etl_user, analytics_reader', current_database());
  execute format('grant temporary on database %I to etl_user', current_database());
  execute format('revoke temporary on database %I from analytics_reader, public', current_database());
end
$$;

-- etl_user: loads raw and staging, refreshes analytics, may add its own tables to raw and staging.
grant usage on schema raw, staging, analytics to etl_user;
grant create on schema raw, staging to etl_user;
grant select, insert, update, delete on all tables in schema raw, staging, analytics to etl_user;
grant usage, select, update on all sequences in schema raw, staging, analytics to etl_user;
alter default privileges in schema raw, staging, analytics grant select, insert, update, delete on tables to etl_user;
alter default privileges in schema raw, staging, analytics grant usage, select, update on sequences to etl_user;

-- The migration ledger is the admin's: etl_user may read it, but a row it wrote or changed would make the admin's
-- `phc migrate` skip or refuse a migration.
revoke insert, update, delete, truncate on staging.schema_migrations from etl_user;
grant select on staging.schema_migrations to etl_user;

-- Raw history (raw.*_history, every version the shop sent) is append-only for etl_user: every table of that name,
-- as many as exist when this runs. A migration adding one gets the default privileges above until phc roles runs.
do $$
declare
  history regclass;
begin
  for history in
    select c.oid::regclass from pg_catalog.pg_class as c
    join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where n.nspname = 'raw' and c.relkind in ('r', 'p') and c.relname like '%\_history'
  loop
    execute format('revoke update, delete, truncate on %s from etl_user', history);
    execute format('grant select, insert on %s to etl_user', history);
  end loop;
end
$$;

-- analytics_reader: BI tools read analytics and nothing else.
grant usage on schema analytics to analytics_reader;
grant select on all tables in schema analytics to analytics_reader;
alter default privileges in schema analytics grant select on tables to analytics_reader;

-- What was revoked must not come back another way (a membership, a grant to PUBLIC by someone else).
do $$
begin
  if has_database_privilege('analytics_reader', current_database(), 'TEMPORARY') then
    raise exception 'analytics_reader can still create temporary tables in database %: it inherits TEMPORARY from a role it is a member of; revoke that membership or that role''s grant', current_database();
  end if;
  if exists (
    select from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where n.nspname = 'raw' and c.relkind in ('r', 'p') and c.relname like '%\_history'
      and (has_table_privilege('etl_user', c.oid, 'UPDATE') or has_table_privilege('etl_user', c.oid, 'DELETE'))
  ) or has_table_privilege('etl_user', 'staging.schema_migrations', 'INSERT')
    or has_table_privilege('etl_user', 'staging.schema_migrations', 'UPDATE')
    or has_table_privilege('etl_user', 'staging.schema_migrations', 'DELETE') then
    raise exception 'etl_user can still change the migration ledger or a raw history table: it inherits the privilege from a role it is a member of, or from PUBLIC; revoke it there';
  end if;
end
$$;
