import { readFileSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import { DEFAULTS } from '../config/settings';
import { sqlDir } from '../paths';
import { LOCK_NAMESPACE, LockKey } from './advisoryLock';
import { withTransaction } from './transaction';

export const ROLE_NAMES = ['etl_user', 'analytics_reader'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RolePasswords {
  etl_user?: string;
  analytics_reader?: string;
}

export interface RoleSettings {
  passwords: RolePasswords;
  /** statement_timeout of analytics_reader's sessions in this database, as PostgreSQL takes it ("120s"). */
  readerStatementTimeout: string;
}

/** The login may not apply the roles: what it lacks and how to fix it, in one sentence. */
export class RolePrivilegeError extends Error {
  override name = 'RolePrivilegeError';
}

interface AdminFacts {
  login: string;
  superuser: boolean;
  createrole: boolean;
  owns_database: boolean;
  schemas: string[];
  /** Warehouse schemas and tables the login does not own (directly or through a role), the first few of them. */
  foreign: string[];
  foreign_count: number;
}

const WAREHOUSE_SCHEMAS = ['raw', 'staging', 'analytics'];
const LISTED = 3;

/**
 * What `phc roles` needs: CREATEROLE (to create and alter the roles), the database (to grant CONNECT and take TEMP
 * from PUBLIC) and every warehouse schema and table (to grant on them), as owner or a member of the owner, or a
 * superuser. Without them PostgreSQL only warns that nothing was granted, so the check comes first.
 */
export async function checkRoleAdmin(client: Pool | PoolClient): Promise<void> {
  const { rows } = await client.query<AdminFacts>(
    `with foreign_objects as (
       select n.nspname::text as name from pg_namespace as n
       where n.nspname = any($1) and not pg_has_role(current_user, n.nspowner, 'USAGE')
       union all
       select c.oid::regclass::text from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S') and not pg_has_role(current_user, c.relowner, 'USAGE')
     )
     select current_user as login, r.rolsuper as superuser, r.rolcreaterole as createrole,
            pg_has_role(current_user, d.datdba, 'USAGE') as owns_database,
            array(select n.nspname::text from pg_namespace as n where n.nspname = any($1) order by 1) as schemas,
            array(select name from foreign_objects order by name limit ${LISTED}) as foreign,
            (select count(*)::int from foreign_objects) as foreign_count
     from pg_roles as r, pg_database as d
     where r.rolname = current_user and d.datname = current_database()`,
    [WAREHOUSE_SCHEMAS],
  );
  const facts = rows[0];
  if (!facts || facts.superuser) return;
  const absent = WAREHOUSE_SCHEMAS.filter((s) => !facts.schemas.includes(s));
  if (absent.length > 0) {
    throw new RolePrivilegeError(`The warehouse schemas ${absent.join(', ')} do not exist yet: run phc migrate first, then phc roles`);
  }
  const missing: string[] = [];
  if (!facts.createrole) missing.push('CREATEROLE (and it is not a superuser)');
  if (!facts.owns_database) missing.push('ownership of this database');
  if (facts.foreign_count > 0) {
    const more = facts.foreign_count > LISTED ? ` and ${facts.foreign_count - LISTED} more` : '';
    missing.push(`ownership of the warehouse objects it grants on (${facts.foreign.join(', ')}${more})`);
  }
  if (missing.length > 0) {
    throw new RolePrivilegeError(
      `The login ${facts.login} cannot apply the roles: it lacks ${missing.join('; ')}. Run phc roles as the admin that ran ` +
        'phc migrate (the database owner with CREATEROLE; on Azure the server admin, a member of azure_pg_admin), or grant this login what is missing',
    );
  }
}

/** `format(%I/%L)` server-side: names and values are quoted by PostgreSQL, and a password never enters a logged statement. */
async function formatted(client: PoolClient, template: string, ...args: string[]): Promise<string> {
  const params = args.map((_, i) => `$${i + 2}::text`).join(', ');
  const { rows } = await client.query<{ sql: string }>(`select format($1::text, ${params}) as sql`, [template, ...args]);
  return rows[0]?.sql ?? '';
}

/**
 * Creates etl_user and analytics_reader if missing and (re)applies their privileges in the current database
 * (sql/roles/bootstrap.sql), then analytics_reader's statement_timeout and the passwords given. Idempotent; run by
 * the admin after migrations. Runs under an advisory lock, so two bootstraps of one database take turns.
 */
export async function bootstrapRoles(
  pool: Pool,
  passwords: RolePasswords = {},
  options: { readerStatementTimeout?: string } = {},
): Promise<void> {
  const script = readFileSync(sqlDir('roles', 'bootstrap.sql'), 'utf8');
  await withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.roles]);
    await checkRoleAdmin(client);
    await client.query(script);
    const timeout = options.readerStatementTimeout ?? DEFAULTS.ANALYTICS_READER_STATEMENT_TIMEOUT;
    await client.query(await formatted(client, 'alter role analytics_reader in database %I set statement_timeout = %L', await currentDatabase(client), timeout));
    for (const role of ROLE_NAMES) {
      const password = passwords[role];
      if (!password) continue;
      await client.query(await formatted(client, 'alter role %I with login password %L', role, password));
    }
  });
}

async function currentDatabase(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ name: string }>('select current_database() as name');
  return rows[0]?.name ?? '';
}

/** Makes an existing login (an Entra principal on Azure) a member of one of our roles, inheriting its privileges. */
export async function grantRoleTo(pool: Pool, role: RoleName, member: string): Promise<void> {
  const { rows } = await pool.query<{ sql: string }>('select format($1::text, $2::text, $3::text) as sql', [
    'grant %I to %I',
    role,
    member,
  ]);
  await pool.query(rows[0]?.sql ?? '');
}
