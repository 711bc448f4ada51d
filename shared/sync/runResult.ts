import type { ShopNow } from '../prestashop/api';
import { shopLocalToUtc } from '../prestashop/shopTime';
import { Dimension, Event, Metric } from '../telemetry/names';
import type { RunStatus } from './runLedger';
import type { SyncRun } from './syncRun';
import type { SyncDeps, SyncOptions, SyncResult } from './types';

export function resultOf(run: SyncRun, status: RunStatus, durationMs: number): SyncResult {
  return {
    runId: run.runId,
    entity: run.info.entity,
    resource: run.info.name,
    status,
    windowLo: run.windowLo,
    windowHi: run.windowHi,
    resumed: run.resumed,
    ...run.counts,
    watermarkBefore: run.watermarkBefore,
    watermarkAfter: run.watermarkAfter,
    changed: run.counts.rowsChanged > 0,
    timings: { shopWaitMs: Math.round(run.timings.shopWaitMs), dbMs: Math.round(run.timings.dbMs) },
    ...(run.reason !== undefined ? { reason: run.reason } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
    ...(Object.keys(run.children).length > 0 ? { children: { ...run.children } } : {}),
    fetch: run.gate.stats(),
    durationMs,
  };
}

export function emitSyncTelemetry(deps: SyncDeps, options: SyncOptions, result: SyncResult, now: ShopNow | null): void {
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
  t.event(Event.syncRun, { ...dims, [Dimension.runId]: String(result.runId), [Dimension.cause]: result.cause ?? '' }, {
    rowsFetched: result.rowsFetched,
    rowsChanged: result.rowsChanged,
    rowsUnchanged: result.rowsUnchanged,
    rowsQuarantined: result.rowsQuarantined,
    rowsRepaired: result.rowsRepaired,
    pages: result.pages,
    durationMs: result.durationMs,
    requests: result.fetch?.requests ?? 0,
    lowestConcurrency: result.fetch?.lowestLimit ?? 0,
    shopWaitMs: result.timings.shopWaitMs,
  });
}
