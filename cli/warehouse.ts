import type { Pool } from 'pg';
import { readMigrations } from '../shared/db/migrate';
import { CliError } from './cliError';
import { ExitCode } from './exitCodes';
import { NO_SCHEMA_LINE } from './postgresErrors';

/**
 * The first thing every data command does: reach the database and check that it carries the PHC schema at this
 * version of phc. A database never migrated, or one a migration behind, gets one line saying to run phc migrate,
 * instead of a "relation does not exist" or a check-constraint failure in the middle of a run.
 */
export async function assertWarehouseReady(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ ready: boolean }>(
    `select to_regclass('staging.schema_migrations') is not null and to_regclass('staging.etl_runs') is not null as ready`,
  );
  if (rows[0]?.ready !== true) throw new CliError(NO_SCHEMA_LINE, ExitCode.failure);
  const { rows: applied } = await pool.query<{ version: number | string }>('select version from staging.schema_migrations');
  const done = new Set(applied.map((r) => Number(r.version)));
  const pending = readMigrations().filter((m) => !done.has(m.version));
  if (pending.length > 0) {
    throw new CliError(
      `the database schema is behind this phc: ${pending.length} migration(s) pending (${pending.map((m) => m.file).join(', ')}): run phc migrate as the database owner, then rerun`,
      ExitCode.failure,
    );
  }
}
