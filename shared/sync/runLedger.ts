import type { RunCause as RunCauses } from '../telemetry/names';
import type { Pool } from 'pg';
import type { ShopLocalTime } from '../prestashop/api';

export type RunKind = 'sync' | 'full_refresh' | 'reconcile';
export type RunStatus = 'succeeded' | 'partial' | 'skipped' | 'failed' | 'interrupted';

/** Why a run is partial, interrupted or failed, in a word alerts read (staging.etl_runs.cause, telemetry dimension). */
export type RunCause = (typeof RunCauses)[keyof typeof RunCauses];

export interface RunCounts {
  rowsFetched: number;
  rowsChanged: number;
  rowsUnchanged: number;
  rowsQuarantined: number;
  rowsRepaired: number;
  pages: number;
}

export const zeroCounts = (): RunCounts => ({ rowsFetched: 0, rowsChanged: 0, rowsUnchanged: 0, rowsQuarantined: 0, rowsRepaired: 0, pages: 0 });

/**
 * staging.etl_runs rows are written outside the run's data transactions (autocommit on the pool), so a failed or
 * killed run still leaves its row behind.
 */
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

export async function finishRun(
  pool: Pool,
  runId: number,
  outcome: { status: RunStatus; counts: RunCounts; error?: string | null; cause?: RunCause | null; details?: Record<string, unknown> },
): Promise<void> {
  const c = outcome.counts;
  await pool.query(
    `update staging.etl_runs
     set status = $2, finished_at = now(), rows_fetched = $3, rows_changed = $4, rows_unchanged = $5,
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
