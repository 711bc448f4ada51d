import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { sqlDir } from '../paths';
import { withTransaction } from './transaction';

export const ROLE_NAMES = ['etl_user', 'analytics_reader'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RolePasswords {
  etl_user?: string;
  analytics_reader?: string;
}

/**
 * Creates etl_user and analytics_reader if missing and (re)applies their grants in the current database.
 * Idempotent; run by the admin after migrations. Passwords, when given, come from settings.
 */
export async function bootstrapRoles(pool: Pool, passwords: RolePasswords = {}): Promise<void> {
  const script = readFileSync(sqlDir('roles', 'bootstrap.sql'), 'utf8');
  await withTransaction(pool, async (client) => {
    await client.query(script);
    for (const role of ROLE_NAMES) {
      const password = passwords[role];
      if (!password) continue;
      // format(%L) quotes the password server-side; it never becomes part of a logged client statement.
      const { rows } = await client.query<{ sql: string }>('select format($1::text, $2::text, $3::text) as sql', [
        'alter role %I with login password %L',
        role,
        password,
      ]);
      await client.query(rows[0]?.sql ?? '');
    }
  });
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
