import type { PoolClient } from 'pg';
import { withSessionLock } from '../db/sessionLock';
import { PrestaShopError } from '../prestashop/errors';
import { compareShopLocal } from '../prestashop/shopTime';
import { Dimension, Metric } from '../telemetry/names';
import { STREAMS, type WindowedStream, type WindowedStreamName } from './entities';
import { describeError } from '../telemetry/logger';
import { openQuarantineCount, retryQuarantined, type RetryOutcome } from './quarantine';
import { closeAbandonedRuns, finishRun, recordWindow, startRun, zeroCounts, type RunKind, type RunStatus } from './runLedger';
import { emitSyncTelemetry, resultOf } from './runResult';
import { DEFAULT_MAX_REJECT_SHARE, SyncRun } from './syncRun';
import type { SyncDeps, SyncOptions, SyncResult } from './types';
import { readWatermark } from './watermarks';
import { computeWindow, EPOCH_LOCAL } from './window';
import { readWindow, type WindowPlan } from './windowReader';

/** Thrown when a run fails or is interrupted; the run is recorded in staging.etl_runs and `result` says how far it got. */
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

/**
 * One sync run of an entity (docs/architecture.md, "Extraction"): retry quarantined records, finish the window a
 * crashed or stopped run left half read, then read the window due at this run's start, each page committed with its
 * checkpoint and the watermark moved to hi once a window is done. So a run that succeeds has read every change up to
 * its own hi. Holds the entity's session advisory lock on one client for the whole run; when another run holds it,
 * this one is recorded as 'skipped' and returns at once.
 */
export async function runSync(deps: SyncDeps, stream: WindowedStreamName, options: SyncOptions): Promise<SyncResult> {
  const info: WindowedStream = STREAMS[stream];
  const startedMs = (deps.clock ?? Date.now)();
  const kind: RunKind = options.fullRefresh ? 'full_refresh' : 'sync';
  return withSessionLock(
    deps.pool,
    info.syncLock,
    (client) => lockedRun(deps, client, info, kind, options, startedMs),
    () => skipped(deps, info, kind, options, startedMs),
  );
}

async function skipped(deps: SyncDeps, info: WindowedStream, kind: RunKind, options: SyncOptions, startedMs: number): Promise<SyncResult> {
  const reason = `another ${info.resource} sync holds the lock`;
  const runId = await startRun(deps.pool, { entity: info.entity, kind, trigger: options.trigger, status: 'skipped', details: { reason } });
  deps.log.child({ runId, entity: info.entity }).info('sync skipped', { reason });
  const result: SyncResult = {
    runId, entity: info.entity, resource: info.name, status: 'skipped', windowLo: null, windowHi: null, resumed: false,
    ...zeroCounts(), watermarkBefore: null, watermarkAfter: null, changed: false, timings: { shopWaitMs: 0, dbMs: 0 }, reason,
    durationMs: (deps.clock ?? Date.now)() - startedMs,
  };
  emitSyncTelemetry(deps, options, result, null);
  return result;
}

async function lockedRun(deps: SyncDeps, client: PoolClient, info: WindowedStream, kind: RunKind, options: SyncOptions, startedMs: number): Promise<SyncResult> {
  const runId = await startRun(deps.pool, { entity: info.entity, kind, trigger: options.trigger });
  const run = new SyncRun(deps, info, runId, kind, options, client, startedMs);
  run.log.info('sync started', { kind, trigger: options.trigger, concurrency: run.concurrency });
  try {
    await closeAbandonedRuns(deps.pool, {
      entity: info.entity, kinds: ['sync', 'full_refresh'], runId,
      why: 'abandoned: the process ended before the run finished; a later run resumes from its checkpoint',
    });
    const retried = await retryQuarantined(deps, info, runId, { signal: run.signal, gate: run.gate });
    run.counts.rowsChanged += retried.changed;
    run.counts.rowsRepaired += retried.repaired;
    if (retried.resolved + retried.stillFailing > 0) run.details.quarantineRetry = { ...retried };
    const status = await readDueWindows(run);
    return await finish(run, judgeRejects(run, status, retried));
  } catch (error) {
    return await fail(run, error);
  } finally {
    run.close();
  }
}

/** The checkpointed window first (if any), then the window due at this run's start. */
async function readDueWindows(run: SyncRun): Promise<RunStatus> {
  const { deps, info, options } = run;
  const now = await deps.api.now({ signal: run.signal, gate: run.gate });
  run.shopNow = now;
  const stored = await readWatermark(run.client, info.entity);
  run.watermarkBefore = stored.watermark;
  run.watermarkAfter = stored.watermark;
  run.details.timeZone = now.timeZone;

  const plans: WindowPlan[] = [];
  let watermark = stored.watermark;
  let fullRefresh = options.fullRefresh === true;
  const checkpoint = stored.checkpoint;
  // A checkpoint is resumed, unless a full refresh is asked for and the checkpoint is not one.
  if (checkpoint && (!fullRefresh || checkpoint.lo === EPOCH_LOCAL)) {
    plans.push({ lo: checkpoint.lo, hi: checkpoint.hi, ranges: checkpoint.ranges });
    run.resumed = true;
    run.details.resumedFrom = { runId: checkpoint.runId, ranges: checkpoint.ranges };
    run.log.info('resuming checkpoint', { lo: checkpoint.lo, hi: checkpoint.hi, ranges: checkpoint.ranges.length, fromRun: checkpoint.runId });
    watermark = checkpoint.hi;
    fullRefresh = false;
  }
  const due = computeWindow({ now, watermark, lagSeconds: deps.settings.lagSeconds, overlapSeconds: deps.settings.overlapSeconds, fullRefresh });
  if (due.fallBackSeconds > 0) run.details.fallBackSeconds = due.fallBackSeconds;
  if (plans.length === 0 || compareShopLocal(due.hi, watermark) > 0) plans.push({ lo: due.lo, hi: due.hi, ranges: null });

  run.windowLo = plans[0]?.lo ?? null;
  run.windowHi = plans.at(-1)?.hi ?? null;
  run.details.windows = plans.map((p) => ({ lo: p.lo, hi: p.hi, resumed: p.ranges !== null }));
  if (run.windowLo !== null && run.windowHi !== null) await recordWindow(deps.pool, run.runId, run.windowLo, run.windowHi);

  for (const plan of plans) {
    const outcome = await readWindow(run, plan);
    if (outcome === 'stopped') return stoppedStatus(run);
    if (outcome === 'contradicted') {
      run.cause = 'empty_window_contradicted';
      return 'partial';
    }
  }
  return 'succeeded';
}

function stoppedStatus(run: SyncRun): RunStatus {
  if (run.stopReason === 'interrupted') {
    run.cause = 'interrupted';
    run.reason = `interrupted by the operator after ${run.counts.pages} pages; the next run resumes from the checkpoint`;
    return 'interrupted';
  }
  run.cause = 'time_budget';
  run.reason = `time budget of ${run.options.timeBudgetSeconds}s spent after ${run.counts.pages} pages; the next run resumes from the checkpoint`;
  return 'partial';
}

/**
 * A run that set aside more than a small share of the records its windows read, or every record of a page, is not
 * succeeded: a systematic rejection must not hide in the quarantine. A record already waiting in the quarantine does
 * not count again, whether retried or re-read in a window's overlap (it was reported when set aside, and phc status
 * and the quarantine metric keep showing it), so one record the shop keeps breaking does not make every later run
 * of a quiet shop partial.
 */
function judgeRejects(run: SyncRun, status: RunStatus, retried: RetryOutcome): RunStatus {
  if (status !== 'succeeded') return status;
  const maxShare = run.deps.settings.maxRejectShare ?? DEFAULT_MAX_REJECT_SHARE;
  const setAside = run.newlySetAside;
  const read = run.recordsRead;
  if (setAside === 0 || (run.fullyRejectedPages === 0 && setAside <= maxShare * read)) return status;
  const share = read === 0 ? 1 : setAside / read;
  run.cause = 'rejected_records';
  run.reason =
    `${setAside} of ${read} records set aside (${(share * 100).toFixed(1)}%, more than the ${(maxShare * 100).toFixed(1)}% allowed` +
    `${run.fullyRejectedPages > 0 ? `; ${run.fullyRejectedPages} page(s) with every record set aside` : ''}): ` +
    `first reason: ${run.firstReject ?? retried.firstReason ?? 'unknown'}. They wait in the quarantine (phc status) and are retried every run`;
  return 'partial';
}

async function finish(run: SyncRun, status: RunStatus): Promise<SyncResult> {
  const { deps, options } = run;
  const result = resultOf(run, status, (deps.clock ?? Date.now)() - run.startedMs);
  const quarantineOpen = await openQuarantineCount(deps.pool, run.info);
  await finishRun(deps.pool, run.runId, {
    status, counts: run.counts, error: status === 'succeeded' ? null : (run.reason ?? null), cause: run.cause ?? null,
    details: { ...run.details, quarantineOpen, timings: result.timings, fetch: result.fetch, ...(result.children ? { children: result.children } : {}) },
  });
  deps.telemetry.metric(Metric.quarantinedRecords, quarantineOpen, { [Dimension.entity]: run.info.entity });
  emitSyncTelemetry(deps, options, result, run.shopNow);
  const line = { status, rowsFetched: result.rowsFetched, rowsChanged: result.rowsChanged, rowsRepaired: result.rowsRepaired, pages: result.pages, windowLo: result.windowLo, windowHi: result.windowHi, watermark: result.watermarkAfter, reason: result.reason };
  if (status === 'succeeded') run.log.info('sync finished', line);
  else run.log.warn('sync finished', line);
  if (status === 'interrupted') throw new SyncRunError(`Sync of ${run.info.resource} interrupted (run ${run.runId}): ${run.reason ?? ''}`, result);
  return result;
}

/** A listing the shop cut short is a partial run; a stop is interrupted or partial; anything else fails the run. */
async function fail(run: SyncRun, error: unknown): Promise<SyncResult> {
  if (error instanceof SyncRunError) throw error;
  if (run.stopReason === 'interrupted' || run.stopReason === 'time_budget') return finish(run, stoppedStatus(run));
  if (error instanceof PrestaShopError && error.kind === 'incomplete') {
    run.cause = 'incomplete_listing';
    run.reason = `${error.message}. The watermark stays; the next run reads the window again`;
    return finish(run, 'partial');
  }
  const { deps, options } = run;
  const message = describeError(error);
  run.reason = message;
  run.cause = 'error';
  const result = resultOf(run, 'failed', (deps.clock ?? Date.now)() - run.startedMs);
  await finishRun(deps.pool, run.runId, { status: 'failed', counts: run.counts, error: message, cause: 'error', details: run.details }).catch(
    (ledgerError: unknown) => run.log.error('could not record the failed run', { error: describeError(ledgerError) }),
  );
  emitSyncTelemetry(deps, options, result, run.shopNow);
  run.log.error('sync failed', { error: message });
  throw new SyncRunError(`Sync of ${run.info.resource} failed (run ${run.runId}): ${message}`, result, { cause: error });
}
