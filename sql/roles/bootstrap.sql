-- Least-privilege roles. Run by the database owner/admin (`phc roles`), after `phc migrate`, as often as wanted.
-- Works where the admin is not a superuser (Azure Flexible Server: azure_pg_admin with CREATEROLE).
-- Passwords are never here: phc sets them from settings after this script.

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
  execute format('grant connect, temporary on database %I to etl_user, analytics_reader', current_database());
end
$$;

-- etl_user: loads raw and staging, refreshes analytics, may add its own tables to raw and staging.
grant usage on schema raw, staging, analytics to etl_user;
grant create on schema raw, staging to etl_user;
grant select, insert, update, delete on all tables in schema raw, staging, analytics to etl_user;
grant usage, select, update on all sequences in schema raw, staging, analytics to etl_user;
alter default privileges in schema raw, staging, analytics grant select, insert, update, delete on tables to etl_user;
alter default privileges in schema raw, staging, analytics grant usage, select, update on sequences to etl_user;

-- analytics_reader: BI tools read analytics and nothing else.
grant usage on schema analytics to analytics_reader;
grant select on all tables in schema analytics to analytics_reader;
alter default privileges in schema analytics grant select on tables to analytics_reader;
