import type { Pool } from 'pg';
import { PgError, pgErrorCode } from '../../shared/db/errors';
import { migrate, readMigrations } from '../../shared/db/migrate';
import { bootstrapRoles, type RolePasswords } from '../../shared/db/roles';
import { withRuntime, type GlobalOptions } from '../context';
import { SYNC_STREAMS, type RefreshResult, type SyncResult } from '../core';
import { CliError } from '../errors';
import { printJson, printLine } from '../output';
import { gatherEntities, gatherKpis, gatherQuality, renderReport, type PipelineReport } from '../report';
import { gatherRevenue } from '../revenueReport';
import { runAnalytics } from './analytics';
import { syncEntities, throwIfInterrupted } from './sync';

export interface PipelineOptions {
  json?: boolean;
  keepRunning?: boolean;
  customers?: number;
  products?: number;
  orders?: number;
}

export interface CycleResult {
  sync: SyncResult[];
  analytics: RefreshResult;
  report: Omit<PipelineReport, 'mode' | 'firstRun' | 'activity' | 'seeded' | 'connect' | 'durationMs'>;
}

/** Progress lines of the pipeline on stderr, unless --quiet or --json. */
export function pipelineLog(globals: GlobalOptions, options: PipelineOptions): (line: string) => void {
  return (line) => {
    if (!globals.quiet && !options.json) process.stderr.write(`${line}\n`);
  };
}

/**
 * Migrates; a login that may not (etl_user, as in the Function App's settings) still runs the pipeline when the
 * database is already up to date, and is told to ask the owner otherwise.
 */
async function migrateOrCheck(pool: Pool, log: (line: string) => void): Promise<void> {
  try {
    const migrated = await migrate(pool, { log });
    log(migrated.applied.length ? `migrated: ${migrated.applied.join(', ')}` : 'migrations: up to date');
  } catch (error) {
    if (pgErrorCode(error) !== PgError.insufficientPrivilege) throw error;
    const { rows } = await pool.query<{ version: number }>('select version from staging.schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const pending = readMigrations().filter((m) => !applied.has(m.version));
    if (pending.length > 0) {
      throw new CliError(
        `${pending.length} migration(s) are pending (${pending.map((m) => m.file).join(', ')}) and this login may not apply them: run phc migrate as the database owner first`,
        1,
        { cause: error },
      );
    }
    log('migrations: up to date (this login may not migrate; it only checked)');
  }
}

/**
 * migrate → (roles) → sync every stream, in load order → analytics, then read back the report. After Ctrl-C the sync stops,
 * analytics is skipped, and the interruption line (exit 130) says what was saved.
 */
export async function cycle(
  admin: Pool,
  globals: GlobalOptions,
  env: NodeJS.ProcessEnv,
  options: PipelineOptions,
  signal: AbortSignal,
  roles?: RolePasswords,
): Promise<CycleResult> {
  const log = pipelineLog(globals, options);
  await migrateOrCheck(admin, log);
  if (roles) {
    await bootstrapRoles(admin, roles);
    log('roles: etl_user and analytics_reader ready');
  }
  // The report says what the sync and refresh log lines would; they show with --verbose, warnings always.
  return withRuntime(
    { ...globals, quiet: globals.quiet === true || globals.verbose !== true },
    async (runtime) => {
      const streams = [...SYNC_STREAMS];
      const sync = await syncEntities(runtime, streams, { trigger: 'pipeline', quiet: options.json === true || globals.quiet === true, signal });
      throwIfInterrupted(signal, streams, sync);
      // A failed run has thrown already. A partial one (time budget, untrusted empty window) committed whole pages:
      // analytics may publish them; the pipeline then exits 3 after its report.
      const analytics = await runAnalytics(runtime, { trigger: 'pipeline' });
      const entities = await gatherEntities(runtime.pool, sync);
      const kpis = await gatherKpis(runtime.pool);
      const revenue = await gatherRevenue(runtime.pool);
      const quality = await gatherQuality(runtime.pool);
      return { sync, analytics, report: { entities, kpis, revenue, quality, analytics, syncResults: sync } };
    },
    env,
  );
}

let emitted = false;
export function emitReport(report: PipelineReport, options: PipelineOptions): void {
  if (emitted) return;
  emitted = true;
  if (options.json) printJson(report);
  else for (const line of renderReport(report)) printLine(line);
}
