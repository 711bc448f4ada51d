import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { sqlDir } from '../paths';
import { advisoryLock, advisoryUnlock, LockKey } from './advisoryLock';
import { applyDescriptions, type DescriptionsResult } from './descriptions';
import { withClient } from './transaction';

export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
  /** The analytics tables, views and columns whose comments were set from their declarations (null when skipped). */
  described: DescriptionsResult | null;
}

const FILE_PATTERN = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
const LEDGER = 'staging.schema_migrations';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** The migrations of dir in version order: by number, so 1000_x.sql comes after 999_x.sql (text order would not). */
export function readMigrations(dir: string = sqlDir('migrations')): MigrationFile[] {
  const named = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new MigrationError(`Migration file name ${file} does not match NNN_description.sql`);
      return { file, version: Number(match[1]), name: match[2] ?? '' };
    })
    .sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));
  const seen = new Map<number, string>();
  return named.map(({ file, version, name }) => {
    const clash = seen.get(version);
    if (clash) throw new MigrationError(`Migrations ${clash} and ${file} share version ${version}; renumber the newer one`);
    seen.set(version, file);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { version, name, file, sql, checksum: checksumOf(sql) };
  });
}

/**
 * Applies pending migrations in order, each in its own transaction together with its ledger row.
 * A session advisory lock makes concurrent runs wait for each other; the second then finds nothing to do.
 * Refuses to run when an applied migration's file changed or disappeared.
 * Then, still under the lock, sets the comments of the analytics tables, views and columns from their declarations
 * (shared/db/descriptions.ts), every time: a description can change without a migration. `descriptions` defaults to
 * true for the project's own migrations and false for another dir (tests of the runner use migrations of their own).
 */
export async function migrate(
  pool: Pool,
  options: { dir?: string; log?: (line: string) => void; descriptions?: boolean } = {},
): Promise<MigrateResult> {
  const describe = options.descriptions ?? options.dir === undefined;
  const migrations = readMigrations(options.dir);
  const log = options.log ?? (() => undefined);
  return withClient(pool, async (client) => {
    await advisoryLock(client, LockKey.migrations);
    try {
      await ensureLedger(client);
      const applied = await appliedChecksums(client);
      verifyApplied(migrations, applied);
      const pending = migrations.filter((m) => !applied.has(m.version));
      for (const migration of pending) {
        log(`applying ${migration.file}`);
        await applyOne(client, migration);
      }
      const described = describe ? await describeAnalytics(client) : null;
      return { applied: pending.map((m) => m.file), alreadyApplied: applied.size, described };
    } finally {
      await advisoryUnlock(client, LockKey.migrations);
    }
  });
}

async function ensureLedger(client: PoolClient): Promise<void> {
  await client.query('create schema if not exists staging');
  await client.query(`create table if not exists ${LEDGER} (
    version integer primary key,
    file text not null,
    checksum text not null,
    applied_at timestamptz not null default now(),
    applied_by text not null default current_user
  )`);
}

async function appliedChecksums(client: PoolClient): Promise<Map<number, { file: string; checksum: string }>> {
  const { rows } = await client.query<{ version: number; file: string; checksum: string }>(
    `select version, file, checksum from ${LEDGER} order by version`,
  );
  return new Map(rows.map((r) => [r.version, { file: r.file, checksum: r.checksum }]));
}

function verifyApplied(migrations: MigrationFile[], applied: Map<number, { file: string; checksum: string }>): void {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  const newestApplied = Math.max(0, ...applied.keys());
  for (const [version, row] of applied) {
    const current = byVersion.get(version);
    if (!current) {
      throw new MigrationError(`Migration ${row.file} is applied in the database but missing from sql/migrations; restore the file`);
    }
    if (current.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${current.file} was edited after it was applied (checksum ${current.checksum.slice(0, 12)} differs from ` +
          `${row.checksum.slice(0, 12)} in the database). Landed migrations are never edited: restore it and add a new migration`,
      );
    }
  }
  const skipped = migrations.find((m) => m.version < newestApplied && !applied.has(m.version));
  if (skipped) {
    throw new MigrationError(`Migration ${skipped.file} is older than the newest applied one but was never applied; renumber it after ${newestApplied}`);
  }
}

async function applyOne(client: PoolClient, migration: MigrationFile): Promise<void> {
  try {
    await client.query('begin');
    await client.query(migration.sql);
    await client.query(`insert into ${LEDGER} (version, file, checksum) values ($1, $2, $3)`, [
      migration.version,
      migration.file,
      migration.checksum,
    ]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw new MigrationError(`Migration ${migration.file} failed: ${(error as Error).message}`, { cause: error });
  }
}

async function describeAnalytics(client: PoolClient): Promise<DescriptionsResult> {
  try {
    await client.query('begin');
    const result = await applyDescriptions(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw new MigrationError(`Migrations applied, but the analytics descriptions were not: ${(error as Error).message}`, { cause: error });
  }
}
