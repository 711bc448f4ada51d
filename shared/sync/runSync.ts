import type { PoolClient } from 'pg';
import { withSessionLock } from '../db/sessionLock';
import type { EntityResource, Page, ShopLocalTime, ShopNow } from '../prestashop/api';
import { compareShopLocal, shopLocalToUtc } from '../prestashop/shopTime';
import { Dimension, Event, Metric } from '../telemetry/names';
import type { Logger } from '../telemetry/types';
import { inTransaction } from './clientTransaction';
import { ENTITIES, type EntityInfo } from './entities';
import { errorText } from './errorText';
import { openQuarantineCount, quarantineRecords, reportQuarantined, retryQuarantined } from './quarantine';
import { writeRawRecords } from './rawWriter';
import { finishRun, recordWindow, startRun, zeroCounts, type RunCounts, type RunKind, type RunStatus } from './runLedger';
import type { SyncDeps, SyncOptions, SyncResult } from './types';
import { completeWindow, readWatermark, saveCheckpoint } from './watermarks';
import { computeWindow, EPOCH_LOCAL } from './window';

/** Thrown when a run fails; the run is recorded as failed in staging.etl_runs and `result` says how far it got. */
export class SyncRunError extends Error {
  override name = 'SyncRunError';
  constructor(
    message: string,
    readonly result: SyncResult,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface RunState {
  info: EntityInfo;
  runId: number;
  kind: RunKind;
  counts: RunCounts;
  windowLo: ShopLocalTime | null;
  windowHi: ShopLocalTime | null;
  resumed: boolean;
  watermarkBefore: ShopLocalTime | null;
  watermarkAfter: ShopLocalTime | null;
  shopNow: ShopNow | null;
  timings: { shopWaitMs: number; dbMs: number };
  /** The page transactions' BEGIN with their settings, decided on the first page. */
  pageBegin?: string;
  reason?: string;
  details: Record<string, unknown>;
}

/**
 * One sync run of an entity (ARCHITECTURE.md "Extraction algorithm"): retry quarantined records, choose or resume
 * the window, read it page by page by keyset on id, commit each page with the checkpoint, and move the watermark
 * to hi once the window is done. Holds the entity's session advisory lock on one client for the whole run; when
 * another run holds it, this one is recorded as 'skipped' and returns at once.
 */
export async function runSync(deps: SyncDeps, entity: EntityResource, options: SyncOptions): Promise<SyncResult> {
  const info = ENTITIES[entity];
  const clock = deps.clock ?? Date.now;
  const startedMs = clock();
  const kind: RunKind = options.fullRefresh ? 'full_refresh' : 'sync';
  return withSessionLock(
    deps.pool,
    info.syncLock,
    (client) => lockedRun(deps, client, info, kind, options, startedMs),
    () => skipped(deps, info, kind, options, startedMs),
  );
}

async function skipped(deps: SyncDeps, info: EntityInfo, kind: RunKind, options: SyncOptions, startedMs: number): Promise<SyncResult> {
  const reason = `another ${info.resource} sync holds the lock`;
  const runId = await startRun(deps.pool, { entity: info.entity, kind, trigger: options.trigger, status: 'skipped', details: { reason } });
  deps.log.child({ runId, entity: info.entity }).info('sync skipped', { reason });
  const result = resultOf(
    { info, runId, kind, counts: zeroCounts(), windowLo: null, windowHi: null, resumed: false, watermarkBefore: null, watermarkAfter: null, shopNow: null, timings: { shopWaitMs: 0, dbMs: 0 }, reason, details: {} },
    'skipped',
    (deps.clock ?? Date.now)() - startedMs,
  );
  emitTelemetry(deps, options, result, null);
  return result;
}

async function lockedRun(
  deps: SyncDeps,
  client: PoolClient,
  info: EntityInfo,
  kind: RunKind,
  options: SyncOptions,
  startedMs: number,
): Promise<SyncResult> {
  const clock = deps.clock ?? Date.now;
  const runId = await startRun(deps.pool, { entity: info.entity, kind, trigger: options.trigger });
  const log = deps.log.child({ runId, entity: info.entity });
  const state: RunState = {
    info, runId, kind, counts: zeroCounts(), windowLo: null, windowHi: null, resumed: false,
    watermarkBefore: null, watermarkAfter: null, shopNow: null, timings: { shopWaitMs: 0, dbMs: 0 }, details: {},
  };
  log.info('sync started', { kind, trigger: options.trigger });
  try {
    await closeAbandonedRuns(deps, info, runId);
    const retried = await retryQuarantined({ ...deps, log }, info, runId);
    state.counts.rowsChanged += retried.changed;
    if (retried.resolved + retried.stillFailing > 0) state.details.quarantineRetry = { ...retried };

    const status = await readWindow(deps, client, state, options, log, startedMs);
    const result = resultOf(state, status, clock() - startedMs);
    const quarantineOpen = await openQuarantineCount(deps.pool, info);
    await finishRun(deps.pool, runId, {
      status, counts: state.counts, error: status === 'partial' ? state.reason : null,
      details: { ...state.details, quarantineOpen, timings: result.timings },
    });
    deps.telemetry.metric(Metric.quarantinedRecords, quarantineOpen, { [Dimension.entity]: info.entity });
    emitTelemetry(deps, options, result, state.shopNow);
    log.info('sync finished', {
      status, rowsFetched: result.rowsFetched, rowsChanged: result.rowsChanged, pages: result.pages,
      windowLo: result.windowLo, windowHi: result.windowHi, watermark: result.watermarkAfter, reason: result.reason,
    });
    return result;
  } catch (error) {
    const message = errorText(error);
    state.reason = message;
    const result = resultOf(state, 'failed', clock() - startedMs);
    await finishRun(deps.pool, runId, { status: 'failed', counts: state.counts, error: message, details: state.details }).catch(
      (ledgerError: unknown) => log.error('could not record the failed run', { error: errorText(ledgerError) }),
    );
    emitTelemetry(deps, options, result, state.shopNow);
    log.error('sync failed', { error: message });
    throw new SyncRunError(`Sync of ${info.resource} failed (run ${runId}): ${message}`, result, { cause: error });
  }
}

/** Reads the window page by page; returns the run's status. */
async function readWindow(
  deps: SyncDeps,
  client: PoolClient,
  state: RunState,
  options: SyncOptions,
  log: Logger,
  startedMs: number,
): Promise<RunStatus> {
  const { info, counts, runId } = state;
  const clock = deps.clock ?? Date.now;
  const now = await deps.api.now();
  state.shopNow = now;
  const stored = await readWatermark(client, info.entity);
  state.watermarkBefore = stored.watermark;
  state.watermarkAfter = stored.watermark;

  let lo: ShopLocalTime;
  let hi: ShopLocalTime;
  let cursor = 0;
  const checkpoint = stored.checkpoint;
  // A checkpoint is resumed, unless a full refresh is asked for and the checkpoint is not one.
  if (checkpoint && (!options.fullRefresh || checkpoint.lo === EPOCH_LOCAL)) {
    ({ lo, hi } = checkpoint);
    cursor = checkpoint.lastId;
    state.resumed = true;
    state.details.resumedFrom = { runId: checkpoint.runId, lastId: checkpoint.lastId };
    log.info('resuming checkpoint', { lo, hi, lastId: cursor, fromRun: checkpoint.runId });
  } else {
    const window = computeWindow({
      now, watermark: stored.watermark, lagSeconds: deps.settings.lagSeconds, overlapSeconds: deps.settings.overlapSeconds,
      fullRefresh: options.fullRefresh,
    });
    ({ lo, hi } = window);
    if (window.fallBackSeconds > 0) state.details.fallBackSeconds = window.fallBackSeconds;
  }
  state.windowLo = lo;
  state.windowHi = hi;
  state.details.timeZone = now.timeZone;
  await recordWindow(deps.pool, runId, lo, hi);

  const freshStart = cursor === 0 && !state.resumed;
  let tailRechecked = false;
  let sawRows = false;
  for (;;) {
    // The next page downloads while this one commits: shop and database work overlap, two pages at most in memory.
    const pages = prefetching(deps.api.windowPages({ resource: info.resource, lo, hi, afterId: cursor, pageSize: deps.settings.pageSize }));
    let outcome: RunStatus | 'recheck' | 'exhausted' = 'exhausted';
    try {
      for (let next = await timed(state, 'shopWaitMs', pages.next()); !next.done; next = await timed(state, 'shopWaitMs', pages.next())) {
        const page = next.value;
        const empty = page.records.length === 0 && page.rejected.length === 0;
        const last = !page.more;
        if (last && empty && freshStart && !sawRows) return await emptyWindow(deps, client, state, lo, hi, log);
        if (last && empty && !tailRechecked) {
          // A swallowed SQL error is an empty 200: ask once more before ending the window on an empty page.
          tailRechecked = true;
          outcome = 'recheck';
          break;
        }
        sawRows ||= !empty;
        counts.pages++;
        await timed(state, 'dbMs', commitPage(deps, client, state, page, { lo, hi, last }, log));
        cursor = page.lastId ?? cursor;
        options.onProgress?.({
          entity: info.entity, runId, pages: counts.pages, lastId: page.lastId, rowsFetched: counts.rowsFetched,
          rowsChanged: counts.rowsChanged, windowLo: lo, windowHi: hi,
        });
        if (last) {
          state.watermarkAfter = hi;
          outcome = 'succeeded';
          break;
        }
        if (options.timeBudgetSeconds !== undefined && clock() - startedMs >= options.timeBudgetSeconds * 1000) {
          state.reason = `time budget of ${options.timeBudgetSeconds}s spent after ${counts.pages} pages; the next run continues after id ${cursor}`;
          outcome = 'partial';
          break;
        }
      }
    } finally {
      await pages.close();
    }
    if (outcome === 'succeeded' || outcome === 'partial') return outcome;
    if (outcome === 'exhausted') break;
  }
  // The iterator ended without a final page (or the recheck found nothing more): the window is done.
  await inTransaction(client, () => completeWindow(client, info.entity, hi));
  state.watermarkAfter = hi;
  return 'succeeded';
}

async function commitPage(
  deps: SyncDeps,
  client: PoolClient,
  state: RunState,
  page: Page,
  window: { lo: ShopLocalTime; hi: ShopLocalTime; last: boolean },
  log: Logger,
): Promise<void> {
  const { info, counts, runId } = state;
  const written = await inPageTransaction(client, state, async () => {
    const counted = await writeRawRecords(client, info, page.records, runId);
    await quarantineRecords(client, info, page.rejected, runId);
    if (window.last) await completeWindow(client, info.entity, window.hi);
    else if (page.lastId !== null) {
      await saveCheckpoint(client, info.entity, { lo: window.lo, hi: window.hi, lastId: page.lastId, runId });
    }
    return counted;
  });
  // Counted only once committed, so a failed run reports what it really stored.
  counts.rowsFetched += page.records.length;
  counts.rowsChanged += written.changed;
  counts.rowsUnchanged += written.unchanged;
  counts.rowsQuarantined += page.rejected.length;
  reportQuarantined(deps.telemetry, log, info, page.rejected);
}

/**
 * A page's transaction: BEGIN and its settings in one round trip, then fn, then COMMIT.
 * - synchronous_commit off: safe, the page and its checkpoint are lost or kept together, and any later synchronous
 *   commit (the run ledger, the analytics refresh) flushes them first. Saves one fsync per page.
 * - lz4 TOAST compression when the server has it (pglz otherwise): an order payload is about 2.4 kB as jsonb, just
 *   over the TOAST threshold, and pglz compressing it twice (raw and history) was the largest single cost of a page.
 *   Reads are unaffected: each stored value records its own method.
 */
async function inPageTransaction<T>(client: PoolClient, state: RunState, fn: () => Promise<T>): Promise<T> {
  if (state.pageBegin === undefined) {
    const { rows } = await client.query<{ lz4: boolean }>(
      `select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    state.pageBegin = `begin; set local synchronous_commit = off${rows[0]?.lz4 ? '; set local default_toast_compression = lz4' : ''}`;
  }
  return inTransaction(client, fn, state.pageBegin);
}

/**
 * A fresh window that came back empty. Trusted only when the shop's newest date_upd is older than lo; otherwise
 * the shop may have swallowed an SQL error into an empty 200, so the watermark stays and the run is partial.
 */
async function emptyWindow(
  deps: SyncDeps,
  client: PoolClient,
  state: RunState,
  lo: ShopLocalTime,
  hi: ShopLocalTime,
  log: Logger,
): Promise<RunStatus> {
  state.counts.pages++;
  const newest = await deps.api.newestDateUpd(state.info.resource);
  state.details.newest = newest;
  if (newest === null || compareShopLocal(newest.dateUpd, lo) < 0) {
    await inTransaction(client, () => completeWindow(client, state.info.entity, hi));
    state.watermarkAfter = hi;
    return 'succeeded';
  }
  state.reason =
    compareShopLocal(newest.dateUpd, hi) > 0
      ? `the window [${lo}, ${hi}] came back empty and the shop's newest date_upd ${newest.dateUpd} (id ${newest.id}) is after hi: ` +
        'the watermark stays until a window holds that change (an empty list cannot be told from a swallowed SQL error)'
      : `the window [${lo}, ${hi}] came back empty although the shop's newest date_upd ${newest.dateUpd} (id ${newest.id}) is inside it: ` +
        'the watermark stays (the shop likely answered an SQL error with an empty list)';
  log.warn('empty window not trusted', { lo, hi, newest: newest.dateUpd, newestId: newest.id });
  return 'partial';
}

async function timed<T>(state: RunState, key: keyof RunState['timings'], work: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work;
  } finally {
    state.timings[key] += performance.now() - started;
  }
}

/** Iterates while the following item is already being fetched; close() ends the source. */
function prefetching<T>(source: AsyncIterable<T>): { next: () => Promise<IteratorResult<T>>; close: () => Promise<void> } {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = null;
  const pull = (): Promise<IteratorResult<T>> => {
    const promise = iterator.next();
    promise.catch(() => undefined); // observed by the next call to next(), or dropped by close()
    return promise;
  };
  return {
    async next() {
      const current = await (pending ?? pull());
      pending = current.done ? null : pull();
      return current;
    },
    async close() {
      const inFlight = pending;
      pending = null;
      if (inFlight) await inFlight.catch(() => undefined);
      await iterator.return?.();
    },
  };
}

/** Runs left 'running' by a killed process: we hold the entity's lock, so none of them is still alive. */
async function closeAbandonedRuns(deps: SyncDeps, info: EntityInfo, runId: number): Promise<void> {
  await deps.pool.query(
    `update staging.etl_runs set status = 'failed', finished_at = now(),
       error = coalesce(error, 'abandoned: the process ended before the run finished; a later run resumes from its checkpoint')
     where entity = $1 and kind in ('sync', 'full_refresh') and status = 'running' and run_id <> $2`,
    [info.entity, runId],
  );
}

function resultOf(state: RunState, status: RunStatus, durationMs: number): SyncResult {
  return {
    runId: state.runId,
    entity: state.info.entity,
    resource: state.info.resource,
    status,
    windowLo: state.windowLo,
    windowHi: state.windowHi,
    resumed: state.resumed,
    ...state.counts,
    watermarkBefore: state.watermarkBefore,
    watermarkAfter: state.watermarkAfter,
    changed: state.counts.rowsChanged > 0,
    timings: { shopWaitMs: Math.round(state.timings.shopWaitMs), dbMs: Math.round(state.timings.dbMs) },
    ...(state.reason !== undefined ? { reason: state.reason } : {}),
    durationMs,
  };
}

function emitTelemetry(deps: SyncDeps, options: SyncOptions, result: SyncResult, now: ShopNow | null): void {
  const dims = { [Dimension.entity]: result.entity, [Dimension.trigger]: options.trigger, [Dimension.status]: result.status };
  const t = deps.telemetry;
  t.metric(Metric.syncRowsFetched, result.rowsFetched, dims);
  t.metric(Metric.syncRowsChanged, result.rowsChanged, dims);
  t.metric(Metric.syncRowsUnchanged, result.rowsUnchanged, dims);
  t.metric(Metric.syncPages, result.pages, dims);
  t.metric(Metric.syncDurationMs, result.durationMs, dims);
  if (now && result.watermarkAfter) {
    const lag = (now.utc.getTime() - shopLocalToUtc(result.watermarkAfter, now.timeZone, 'later').getTime()) / 1000;
    t.metric(Metric.syncWatermarkLagSeconds, Math.max(0, Math.round(lag)), { [Dimension.entity]: result.entity });
  }
  t.event(Event.syncRun, { ...dims, [Dimension.runId]: String(result.runId) }, {
    rowsFetched: result.rowsFetched,
    rowsChanged: result.rowsChanged,
    rowsUnchanged: result.rowsUnchanged,
    rowsQuarantined: result.rowsQuarantined,
    pages: result.pages,
    durationMs: result.durationMs,
  });
}
