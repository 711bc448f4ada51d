-- Tightens the roles of a database whose roles were bootstrapped before these rules (sql/roles/bootstrap.sql holds
-- them all; `phc roles` applies them and the passwords and settings). Roles are cluster-wide and may not exist yet
-- when migrations run, so each rule applies only to a role that exists; a fresh database gets them from phc roles.
--  - etl_user could write the migration ledger (making the admin's phc migrate skip or refuse a migration) and
--    update or delete raw history; it keeps SELECT and INSERT there.
--  - analytics_reader could create temporary tables, directly and through PUBLIC's default TEMPORARY.
--  - analytics_reader gets a statement_timeout in this database when it has none (120s, ANALYTICS_READER_STATEMENT_TIMEOUT
--    of phc roles), if this login may alter roles.
do $$
declare
  history regclass;
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'etl_user') then
    revoke insert, update, delete, truncate on staging.schema_migrations from etl_user;
    grant select on staging.schema_migrations to etl_user;
    for history in
      select c.oid::regclass from pg_catalog.pg_class as c
      join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
      where n.nspname = 'raw' and c.relkind in ('r', 'p') and c.relname like '%\_history'
    loop
      execute format('revoke update, delete, truncate on %s from etl_user', history);
    end loop;
    -- Granted by name before PUBLIC loses it below.
    execute format('grant temporary on database %I to etl_user', current_database());
  end if;

  if exists (select from pg_catalog.pg_roles where rolname = 'analytics_reader') then
    execute format('revoke temporary on database %I from analytics_reader, public', current_database());
    if not exists (
      select from pg_catalog.pg_db_role_setting as setting
      join pg_catalog.pg_database as d on d.oid = setting.setdatabase
      where d.datname = current_database()
        and setting.setrole = (select oid from pg_catalog.pg_roles where rolname = 'analytics_reader')
        and exists (select from unnest(setting.setconfig) as config (item) where config.item like 'statement\_timeout=%')
    ) then
      begin
        execute format('alter role analytics_reader in database %I set statement_timeout = %L', current_database(), '120s');
      exception when insufficient_privilege then
        raise notice 'analytics_reader statement_timeout not set (this login may not alter roles); phc roles sets it';
      end;
    end if;
  end if;
end
$$;
