import type { Pool } from 'pg';
import type { ShopLocalTime, ShopNow } from '../prestashop/api';
import { shopLocalToUtc } from '../prestashop/shopTime';
import { STREAMS, WINDOWED_STREAMS, type EntityName } from './entities';
import { readWatermark, type Checkpoint } from './watermarks';
import { EPOCH_LOCAL } from './window';

export interface RunSummary {
  runId: number;
  kind: string;
  status: string;
  trigger: string | null;
  /** UTC instants (timestamptz), unlike windows and watermarks, which are shop-local. */
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
  /** Shop-local, in SyncStatus.timeZone. '1970-01-01 00:00:00' (the epoch baseline) until the first finished window. */
  watermark: ShopLocalTime;
  /** False while the watermark is still the epoch baseline: no window of this entity ever finished. */
  synced: boolean;
  /** Clock (SyncStatus.lagClock) minus the watermark, in seconds; null when never synced or no clock or zone is known. */
  lagSeconds: number | null;
  inProgress: Checkpoint | null;
  lastRuns: RunSummary[];
  /** The most recent reconciliation, if any. */
  lastReconcile: RunSummary | null;
  rawRows: number;
  /** Rows reconciliation marked deleted (deleted_at): gone from the shop. */
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

export interface FailedCheck {
  check: string;
  entity: string;
  failing: number;
}

/** The data-quality checks of the latest analytics refresh that ran them. */
export interface QualitySummary {
  runId: number | null;
  checkedAt: Date | null;
  checks: number;
  failedCritical: FailedCheck[];
  failedWarning: FailedCheck[];
  openQuarantine: number;
}

export interface AnalyticsStatus {
  /** The latest analytics refresh, whatever its outcome. */
  lastRefresh: RunSummary | null;
  /** When the latest successful refresh finished (UTC): what BI sees is as of then. */
  lastSucceededAt: Date | null;
}

export interface SyncStatus {
  entities: EntityStatus[];
  quarantine: QuarantineEntry[];
  /** The shop's IANA time zone the watermarks and windows are in, and where it came from; null when unknown. */
  timeZone: string | null;
  timeZoneSource: 'shop' | 'setting' | 'stored' | null;
  /** What lag was measured against: the shop clock (Access-Time), this machine's clock, or nothing. */
  lagClock: 'shop' | 'local' | null;
  analytics: AnalyticsStatus;
  dataQuality: QualitySummary;
}

export interface StatusOptions {
  /** The shop clock, when the shop answered. */
  shopNow?: ShopNow;
  /** The PRESTASHOP_TIMEZONE override; else the shop's zone, else the one the last analytics refresh stored. */
  timeZone?: string;
  /** This machine's clock, to measure lag with when the shop did not answer (default: none). */
  localNow?: Date;
  runsPerEntity?: number;
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

async function storedTimeZone(pool: Pool): Promise<string | null> {
  // staging.shop_settings is written by the analytics refresh (reference data); absent before the first one.
  const { rows } = await pool
    .query<{ time_zone: string | null }>('select time_zone from staging.shop_settings limit 1')
    .catch(() => ({ rows: [] as Array<{ time_zone: string | null }> }));
  return rows[0]?.time_zone ?? null;
}

function zoneOf(options: StatusOptions, stored: string | null): Pick<SyncStatus, 'timeZone' | 'timeZoneSource'> {
  if (options.shopNow) return { timeZone: options.shopNow.timeZone, timeZoneSource: options.timeZone ? 'setting' : 'shop' };
  if (options.timeZone) return { timeZone: options.timeZone, timeZoneSource: 'setting' };
  if (stored) return { timeZone: stored, timeZoneSource: 'stored' };
  return { timeZone: null, timeZoneSource: null };
}

/** The latest analytics refresh and the latest successful one. */
export async function readAnalyticsStatus(pool: Pool): Promise<AnalyticsStatus> {
  const { rows } = await pool.query<RunRow>(`select ${RUN_COLUMNS} from staging.etl_runs where kind = 'analytics' order by run_id desc limit 1`);
  const { rows: ok } = await pool.query<{ finished_at: Date | null }>(
    `select max(finished_at) as finished_at from staging.etl_runs where kind = 'analytics' and status = 'succeeded'`,
  );
  return { lastRefresh: rows[0] ? summary(rows[0]) : null, lastSucceededAt: ok[0]?.finished_at ?? null };
}

/** The checks of the latest refresh that ran any, and the open quarantine. */
export async function readQualitySummary(pool: Pool): Promise<QualitySummary> {
  const { rows: latest } = await pool.query<{ run_id: string | null }>(`select max(run_id) as run_id from staging.data_quality_results`);
  const runId = latest[0]?.run_id ? Number(latest[0].run_id) : null;
  const { rows } = await pool.query<{ check_name: string; entity: string; severity: string; status: string; failing_count: string; checked_at: Date }>(
    `select check_name, entity, severity, status, failing_count, checked_at from staging.data_quality_results where run_id = $1 order by severity, check_name`,
    [runId ?? -1],
  );
  const failed = (severity: string): FailedCheck[] =>
    rows
      .filter((r) => r.status === 'fail' && r.severity === severity)
      .map((r) => ({ check: r.check_name, entity: r.entity, failing: Number(r.failing_count) }));
  const { rows: q } = await pool.query<{ n: string }>(`select count(*) as n from staging.quarantine where resolved_at is null`);
  const checkedAt = rows.reduce<Date | null>((max, r) => (max === null || r.checked_at > max ? r.checked_at : max), null);
  return { runId, checkedAt, checks: rows.length, failedCritical: failed('critical'), failedWarning: failed('warning'), openQuarantine: Number(q[0]?.n ?? 0) };
}

/**
 * What `phc status` shows: watermarks with their lag (against the shop clock when given, else this machine's clock
 * when the shop's zone is known), checkpoints, recent runs, open quarantine, the last analytics refresh and the
 * data-quality summary. Reads only the database.
 */
export async function readStatus(pool: Pool, options: StatusOptions = {}): Promise<SyncStatus> {
  const zone = zoneOf(options, await storedTimeZone(pool));
  const clock = options.shopNow?.utc ?? (zone.timeZone ? options.localNow : undefined);
  const entities: EntityStatus[] = [];
  for (const resource of WINDOWED_STREAMS) {
    const info = STREAMS[resource];
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
    const synced = state.watermark !== EPOCH_LOCAL;
    entities.push({
      entity: info.entity,
      resource,
      watermark: state.watermark,
      synced,
      lagSeconds:
        synced && clock && zone.timeZone
          ? Math.round((clock.getTime() - shopLocalToUtc(state.watermark, zone.timeZone, 'later').getTime()) / 1000)
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
    ...zone,
    lagClock: clock ? (options.shopNow ? 'shop' : 'local') : null,
    analytics: await readAnalyticsStatus(pool),
    dataQuality: await readQualitySummary(pool),
  };
}
