import type { Pool } from 'pg';
import type { ShopLocalTime, ShopNow } from '../prestashop/api';
import { shopLocalToUtc } from '../prestashop/shopTime';
import { ENTITY_RESOURCES, ENTITIES, type EntityName } from './entities';
import { readWatermark, type Checkpoint } from './watermarks';

export interface RunSummary {
  runId: number;
  kind: string;
  status: string;
  trigger: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  windowLo: ShopLocalTime | null;
  windowHi: ShopLocalTime | null;
  rowsFetched: number;
  rowsChanged: number;
  rowsQuarantined: number;
  pages: number;
  error: string | null;
}

export interface EntityStatus {
  entity: EntityName;
  resource: string;
  watermark: ShopLocalTime;
  /** Shop clock minus the watermark, in seconds; null unless the shop clock was given. */
  lagSeconds: number | null;
  inProgress: Checkpoint | null;
  lastRuns: RunSummary[];
  /** The most recent reconciliation, if any. */
  lastReconcile: RunSummary | null;
  rawRows: number;
  deletedRows: number;
}

export interface QuarantineEntry {
  entity: string;
  recordId: number;
  reason: string;
  attempts: number;
  firstSeenAt: Date;
  lastAttemptAt: Date;
}

export interface SyncStatus {
  entities: EntityStatus[];
  quarantine: QuarantineEntry[];
}

interface RunRow {
  run_id: string;
  kind: string;
  status: string;
  trigger: string | null;
  started_at: Date;
  finished_at: Date | null;
  window_lo: string | null;
  window_hi: string | null;
  rows_fetched: number;
  rows_changed: number;
  rows_quarantined: number;
  pages: number;
  error: string | null;
}

const RUN_COLUMNS = `run_id, kind, status, trigger, started_at, finished_at,
  to_char(window_lo, 'YYYY-MM-DD HH24:MI:SS') as window_lo, to_char(window_hi, 'YYYY-MM-DD HH24:MI:SS') as window_hi,
  rows_fetched, rows_changed, rows_quarantined, pages, error`;

const summary = (r: RunRow): RunSummary => ({
  runId: Number(r.run_id), kind: r.kind, status: r.status, trigger: r.trigger, startedAt: r.started_at, finishedAt: r.finished_at,
  windowLo: r.window_lo, windowHi: r.window_hi, rowsFetched: r.rows_fetched, rowsChanged: r.rows_changed,
  rowsQuarantined: r.rows_quarantined, pages: r.pages, error: r.error,
});

/** What `phc status` shows: watermarks (and lag when the shop clock is given), checkpoints, recent runs, open quarantine. */
export async function readStatus(pool: Pool, options: { shopNow?: ShopNow; runsPerEntity?: number } = {}): Promise<SyncStatus> {
  const entities: EntityStatus[] = [];
  for (const resource of ENTITY_RESOURCES) {
    const info = ENTITIES[resource];
    const state = await readWatermark(pool, info.entity);
    const { rows: runs } = await pool.query<RunRow>(
      `select ${RUN_COLUMNS} from staging.etl_runs where entity = $1 and kind <> 'reconcile' order by run_id desc limit $2`,
      [info.entity, options.runsPerEntity ?? 5],
    );
    const { rows: reconciles } = await pool.query<RunRow>(
      `select ${RUN_COLUMNS} from staging.etl_runs where entity = $1 and kind = 'reconcile' order by run_id desc limit 1`,
      [info.entity],
    );
    const { rows: counts } = await pool.query<{ total: string; deleted: string }>(
      `select count(*)::text as total, count(deleted_at)::text as deleted from ${info.table}`,
    );
    const now = options.shopNow;
    entities.push({
      entity: info.entity,
      resource,
      watermark: state.watermark,
      lagSeconds: now
        ? Math.round((now.utc.getTime() - shopLocalToUtc(state.watermark, now.timeZone, 'later').getTime()) / 1000)
        : null,
      inProgress: state.checkpoint,
      lastRuns: runs.map(summary),
      lastReconcile: reconciles[0] ? summary(reconciles[0]) : null,
      rawRows: Number(counts[0]?.total ?? 0),
      deletedRows: Number(counts[0]?.deleted ?? 0),
    });
  }
  const { rows: quarantine } = await pool.query<{
    entity: string; record_id: string; reason: string; attempts: number; first_seen_at: Date; last_attempt_at: Date;
  }>(
    `select entity, record_id, reason, attempts, first_seen_at, last_attempt_at
     from staging.quarantine where resolved_at is null order by entity, record_id`,
  );
  return {
    entities,
    quarantine: quarantine.map((q) => ({
      entity: q.entity, recordId: Number(q.record_id), reason: q.reason, attempts: q.attempts,
      firstSeenAt: q.first_seen_at, lastAttemptAt: q.last_attempt_at,
    })),
  };
}
