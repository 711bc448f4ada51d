import type { Pool, PoolClient } from 'pg';
import { LockKey } from '../db/advisoryLock';
import { fenceRawWrites } from '../db/changeFence';
import { withLockedSnapshot, withTransaction } from '../db/transaction';
import type { ShopApi } from '../prestashop/api';
import { finishRun, startRun } from '../sync/runLedger';
import { describeError } from '../telemetry/logger';
import { Event, Metric } from '../telemetry/names';
import type { Logger, Telemetry } from '../telemetry/types';
import { CATALOG_SOURCES, createCatalogChangedKeys, type CatalogCounts } from './catalogChangedKeys';
import { createChangedKeys, noChanges, type ChangedCounts } from './changedKeys';
import { createDocumentChangedKeys, DOCUMENT_SOURCES, type DocumentCounts } from './documentChangedKeys';
import {
  DataQualityError,
  failingCritical,
  reportDataQuality,
  runDataQualityChecks,
  saveDataQualityResults,
  type DataQualityResult,
} from './dataQuality';
import { FULL_RESET_STEP, MODEL_STEPS, modelSql, type ModelStep } from './models';
import { fetchReferenceData, saveReferenceData, type ReferenceData } from './referenceData';
import { readState, refreshParams, whyFull } from './refreshState';

export interface RefreshDeps {
  pool: Pool;
  /** When given, reference data (order states, currencies, languages, defaults, time zone) is reloaded first. */
  api?: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  /** The PRESTASHOP_TIMEZONE override; wins over the shop's own time zone. */
  timeZone?: string;
  /**
   * Called inside the transaction after each step finishes (models, changed keys, data quality), and awaited:
   * progress for a caller, and the point where tests let another session commit in the middle of a refresh.
   */
  onStep?: (step: string) => Promise<void> | void;
}

export interface RefreshOptions {
  trigger: string;
  /** Rebuild everything from raw (same results as the incremental path, by construction). */
  full?: boolean;
}

export type RefreshMode = 'full' | 'incremental';

export interface RefreshResult {
  runId: number;
  /** skipped: a refresh that finished while this one waited for the lock already covered its changes. */
  status: 'succeeded' | 'skipped';
  mode: RefreshMode;
  /** Why a full rebuild ran (asked for, first refresh, time zone or default language changed). */
  fullReason: string | null;
  changed: ChangedCounts;
  /** Changed ids of the catalog and geography streams (addresses, categories, ..., stock). */
  catalogChanged: CatalogCounts;
  /** Changed ids of the order document streams (order details, vouchers, slips, payments, status history). */
  documentsChanged: DocumentCounts;
  /** Raw rows stamped up to this instant are reflected in analytics. */
  checkpoint: Date;
  dataQuality: DataQualityResult[];
  durationMs: number;
  /** Milliseconds per step (models, data quality), to see where a refresh spends its time. */
  stepMs: Record<string, number>;
}

const NO_CHANGES: ChangedCounts = { customers: 0, products: 0, orders: 0 };

/**
 * Brings staging and analytics up to date with raw, in ONE transaction (BI never sees half a refresh).
 *
 * Concurrency: the refresh fences raw writers first (shared/db/changeFence.ts) to get its high mark, then waits
 * for the analytics advisory lock. A second refresh therefore waits rather than skips: changes committed after
 * the running one fenced are covered by the waiting one's later mark. Once it holds the lock, a refresh whose mark
 * is not newer than the committed checkpoint has nothing left to do and records itself as skipped.
 *
 * Snapshot: every statement reads raw as of one instant (REPEATABLE READ), taken once the lock is held, so a sync
 * committing in the middle cannot make stg_orders and stg_order_lines describe two versions of one order.
 *
 * Data quality runs before commit; a failing critical check rolls everything back (the previous analytics state
 * stays), its results are recorded in a separate transaction, and the refresh throws a DataQualityError.
 */
export async function refreshAnalytics(deps: RefreshDeps, options: RefreshOptions): Promise<RefreshResult> {
  const started = Date.now();
  const { pool, telemetry } = deps;
  const runId = await startRun(pool, { entity: 'analytics', kind: 'analytics', trigger: options.trigger, details: { requestedFull: options.full === true } });
  const log = deps.log.child({ runId, entity: 'analytics' });
  let mode: RefreshMode = options.full ? 'full' : 'incremental';
  try {
    const reference = deps.api ? await loadReference(deps.api, deps.timeZone, log) : undefined;
    const mark = await fenceRawWrites(pool);
    const run: RunContext = { deps, options, runId, log, mark, reference, started, setMode: (m) => (mode = m) };
    const result = await withLockedSnapshot(pool, LockKey.analyticsRefresh, (client) => refreshInTransaction(client, run));
    report(deps, result.status, mode, runId, started);
    reportDataQuality(telemetry, result.dataQuality);
    for (const failed of result.dataQuality.filter((r) => r.status === 'fail')) {
      log.warn('data-quality warning', { check: failed.check, entity: failed.entity, failing: failed.failingCount, sample: failed.sampleIds.join(',') });
    }
    log.info('analytics refresh finished', { status: result.status, mode, orders: result.changed.orders, durationMs: result.durationMs });
    return result;
  } catch (error) {
    await recordFailure(pool, runId, error, log);
    report(deps, 'failed', mode, runId, started);
    if (error instanceof DataQualityError) {
      reportDataQuality(telemetry, error.results);
      log.error(error.message);
      throw error;
    }
    const message = `Analytics refresh ${runId} failed: ${(error as Error).message}`;
    log.error(message);
    throw new Error(message, { cause: error });
  }
}

interface RunContext {
  deps: RefreshDeps;
  options: RefreshOptions;
  runId: number;
  log: Logger;
  /** The fence's high mark: raw rows stamped up to it are processed. */
  mark: Date;
  reference: ReferenceData | undefined;
  started: number;
  setMode: (mode: RefreshMode) => void;
}

/** Everything a refresh changes, on one client inside one snapshot transaction, under the analytics advisory lock. */
async function refreshInTransaction(client: PoolClient, run: RunContext): Promise<RefreshResult> {
  const { deps, options, runId, log, mark, reference, started } = run;
  // The models join small temp tables the planner knows little about; JIT would compile for longer than it runs.
  await client.query('set local jit = off');
  const state = await readState(client);
  if (!options.full && state.checkpoint !== null && state.checkpoint >= mark) {
    await finishRun(client, runId, { status: 'skipped', details: { reason: 'a later refresh already covered this one', checkpoint: state.checkpoint } });
    return skippedResult(runId, state.checkpoint, started);
  }
  if (reference) await saveReferenceData(client, reference);
  const params = await refreshParams(client, deps.timeZone, reference);
  const fullReason = whyFull(options.full === true, state, params);
  const mode: RefreshMode = fullReason ? 'full' : 'incremental';
  run.setMode(mode);
  log.info('analytics refresh started', { mode, fullReason, timeZone: params.timeZone });

  await client.query(
    `create temp table _refresh on commit drop as
     select $1::boolean as full_refresh, $2::text as time_zone, $3::bigint as default_lang_id,
            $4::bigint as default_currency_id, $5::bigint as run_id,
            $6::timestamptz as mark, $7::timestamptz as previous_checkpoint`,
    [mode === 'full', params.timeZone, params.defaultLangId, params.defaultCurrencyId, runId, mark, mode === 'full' ? null : state.checkpoint],
  );
  await client.query('analyze _refresh');
  // An incremental refresh reaches a few rows of big tables through their indexes. With the default
  // random_page_cost (4, spinning disks) the planner prefers scanning millions of rows; the data sits in cache
  // or on SSD (Azure Flexible Server), where a random read costs about a sequential one.
  if (mode === 'incremental') await client.query('set local random_page_cost = 1.1');
  const stepMs: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const stepStarted = performance.now();
    const value = await fn();
    stepMs[name] = Math.round(performance.now() - stepStarted);
    log.debug('analytics step finished', { step: name, ms: stepMs[name] });
    await deps.onStep?.(name);
    return value;
  };
  if (mode === 'full') await timed(FULL_RESET_STEP.name, () => runStep(client, FULL_RESET_STEP));
  const range = mode === 'full' ? ({ full: true } as const) : ({ full: false, after: state.checkpoint, upTo: mark } as const);
  const changed = await timed('changed_keys', () => createChangedKeys(client, range));
  const catalogChanged = await timed('catalog_changed_keys', () => createCatalogChangedKeys(client, range));
  const documentsChanged = await timed('document_changed_keys', () => createDocumentChangedKeys(client, range));
  for (const step of MODEL_STEPS) await timed(step.name, () => runStep(client, step));

  const dataQuality = await timed('data_quality', () => runDataQualityChecks(client, log, runId));
  const critical = failingCritical(dataQuality);
  if (critical.length > 0) throw new DataQualityError(critical, dataQuality);
  await saveDataQualityResults(client, runId, dataQuality);

  const checkpoint = state.checkpoint !== null && state.checkpoint > mark ? state.checkpoint : mark;
  await client.query(
    `update staging.analytics_state
     set checkpoint = $1, time_zone = $2, default_lang_id = $3, last_run_id = $4, updated_at = now()`,
    [checkpoint, params.timeZone, params.defaultLangId, runId],
  );
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  const rowsChanged = changed.customers + changed.products + changed.orders + sum(catalogChanged) + sum(documentsChanged);
  await finishRun(client, runId, {
    status: 'succeeded',
    counts: { rowsChanged },
    details: {
      mode,
      fullReason,
      checkpoint,
      changed,
      catalogChanged,
      documentsChanged,
      dataQualityFailures: dataQuality.filter((r) => r.status === 'fail').map((r) => `${r.check}:${r.entity}`),
    },
  });
  return {
    runId,
    status: 'succeeded' as const,
    mode,
    fullReason,
    changed,
    catalogChanged,
    documentsChanged,
    checkpoint,
    dataQuality,
    durationMs: Date.now() - started,
    stepMs,
  };
}

/**
 * The shop being down must not stop analytics: the models then use the reference data stored by the last load
 * (staging.shop_reference, staging.shop_settings), and the next refresh tries again.
 */
async function loadReference(api: ShopApi, timeZoneOverride: string | undefined, log: Logger): Promise<ReferenceData | undefined> {
  try {
    return await fetchReferenceData(api, { timeZoneOverride, log });
  } catch (error) {
    log.warn('reference data not reloaded; using the stored copy', { error: (error as Error).message });
    return undefined;
  }
}

async function runStep(client: PoolClient, step: ModelStep): Promise<void> {
  try {
    await client.query(modelSql(step));
  } catch (error) {
    throw new Error(`model ${step.name} (sql/models/${step.file}) failed: ${(error as Error).message}`, { cause: error });
  }
}


/** After the rollback: the run is marked failed and, for a data-quality failure, the results are kept. */
async function recordFailure(pool: Pool, runId: number, error: unknown, log: Logger): Promise<void> {
  try {
    await withTransaction(pool, async (client) => {
      await finishRun(client, runId, { status: 'failed', error: describeError(error), cause: 'error' });
      if (error instanceof DataQualityError) await saveDataQualityResults(client, runId, error.results);
    });
  } catch (recordError) {
    log.error('could not record the failed analytics refresh', { error: (recordError as Error).message });
  }
}

function report(deps: RefreshDeps, status: string, mode: RefreshMode, runId: number, started: number): void {
  const durationMs = Date.now() - started;
  deps.telemetry.metric(Metric.analyticsRefreshMs, durationMs, { mode, status });
  deps.telemetry.event(Event.analyticsRefresh, { mode, status, runId: String(runId) }, { durationMs });
}

function skippedResult(runId: number, checkpoint: Date, started: number): RefreshResult {
  return {
    runId,
    status: 'skipped',
    mode: 'incremental',
    fullReason: null,
    changed: NO_CHANGES,
    catalogChanged: noChanges(CATALOG_SOURCES),
    documentsChanged: noChanges(DOCUMENT_SOURCES),
    checkpoint,
    dataQuality: [],
    durationMs: Date.now() - started,
    stepMs: {},
  };
}
