import type { Pool, PoolClient } from 'pg';
import type { ShopLocalTime } from '../prestashop/api';
import type { RunCause as RunCauses } from '../telemetry/names';

/**
 * The one run ledger: staging.etl_runs, one row per run of a sync, a sweep, a reconciliation or an analytics refresh.
 * A row is started outside the run's data transactions (autocommit), so a failed or killed run still leaves it
 * behind; the analytics refresh closes its row inside its own transaction, so the row and the results commit together.
 */

export type RunKind = 'sync' | 'full_refresh' | 'reconcile' | 'analytics';
export type RunStatus = 'succeeded' | 'partial' | 'skipped' | 'failed' | 'interrupted';

type Queryable = Pool | PoolClient;

/** Why a run is partial, interrupted or failed, in a word alerts read (staging.etl_runs.cause, telemetry dimension). */
export type RunCause = (typeof RunCauses)[keyof typeof RunCauses];

export interface RunCounts {
  rowsFetched: number;
  rowsChanged: number;
  rowsUnchanged: number;
  rowsQuarantined: number;
  /** Records stored with unstorable text repaired (a NUL or half an emoji became U+FFFD). */
  rowsRepaired: number;
  pages: number;
}

export const zeroCounts = (): RunCounts => ({ rowsFetched: 0, rowsChanged: 0, rowsUnchanged: 0, rowsQuarantined: 0, rowsRepaired: 0, pages: 0 });

export async function startRun(
  pool: Pool,
  run: { entity: string; kind: RunKind; trigger: string; status?: 'running' | 'skipped'; details?: Record<string, unknown> },
): Promise<number> {
  const { rows } = await pool.query<{ run_id: string }>(
    `insert into staging.etl_runs (entity, kind, status, trigger, details, finished_at)
     values ($1, $2, $3, $4, $5::jsonb, case when $3 = 'running' then null else now() end)
     returning run_id`,
    [run.entity, run.kind, run.status ?? 'running', run.trigger, JSON.stringify(run.details ?? {})],
  );
  const id = rows[0]?.run_id;
  if (id === undefined) throw new Error('staging.etl_runs insert returned no run_id');
  return Number(id);
}

/** Window bounds known so far (set as soon as the window is chosen, so a crashed run still shows it). */
export async function recordWindow(pool: Pool, runId: number, lo: ShopLocalTime, hi: ShopLocalTime): Promise<void> {
  await pool.query('update staging.etl_runs set window_lo = $2::timestamp, window_hi = $3::timestamp where run_id = $1', [runId, lo, hi]);
}

/** Closes a run: its status, counts (missing ones are 0), error, cause and details (merged into what it has). */
export async function finishRun(
  db: Queryable,
  runId: number,
  outcome: { status: RunStatus; counts?: Partial<RunCounts>; error?: string | null; cause?: RunCause | null; details?: Record<string, unknown> },
): Promise<void> {
  const c = { ...zeroCounts(), ...outcome.counts };
  await db.query(
    `update staging.etl_runs
     set status = $2, finished_at = clock_timestamp(), rows_fetched = $3, rows_changed = $4, rows_unchanged = $5,
         rows_quarantined = $6, pages = $7, error = $8, details = details || $9::jsonb, rows_repaired = $10, cause = $11
     where run_id = $1`,
    [
      runId, outcome.status, c.rowsFetched, c.rowsChanged, c.rowsUnchanged, c.rowsQuarantined, c.pages, outcome.error ?? null,
      JSON.stringify(outcome.details ?? {}), c.rowsRepaired, outcome.cause ?? null,
    ],
  );
}

/**
 * Runs of the same entity and kinds left 'running' by a process that died: the caller holds the entity's lock, so
 * none of them is still alive. They are closed as failed with why.
 */
export async function closeAbandonedRuns(pool: Pool, run: { entity: string; kinds: readonly RunKind[]; runId: number; why: string }): Promise<void> {
  await pool.query(
    `update staging.etl_runs set status = 'failed', finished_at = now(), cause = 'error', error = coalesce(error, $4)
     where entity = $1 and kind = any($2::text[]) and status = 'running' and run_id <> $3`,
    [run.entity, run.kinds, run.runId, run.why],
  );
}
