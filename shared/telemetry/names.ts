/**
 * Every metric and event name the app emits, with its dimensions: the contract with the workbook and alerts in
 * infra/ (a test checks that infra/ uses only these names). Change a name here and there together.
 */

export const Dimension = {
  entity: 'entity',
  trigger: 'trigger',
  status: 'status',
  runId: 'runId',
  resource: 'resource',
  httpStatus: 'httpStatus',
  outcome: 'outcome',
  reason: 'reason',
  mode: 'mode',
  check: 'check',
  severity: 'severity',
  queue: 'queue',
  /** Why a run is partial, interrupted or failed: time_budget, rejected_records, incomplete_listing, empty_window_contradicted, interrupted, error. */
  cause: 'cause',
} as const;

type DimensionName = (typeof Dimension)[keyof typeof Dimension];

export interface TelemetryName {
  name: string;
  dimensions: readonly DimensionName[];
  /** Declared dimensions an item may leave out (absent reads as '' in KQL). */
  optional?: readonly DimensionName[];
  description: string;
}

/**
 * Why a sync or reconcile run ended `partial` (the `cause` dimension of PhcSyncRun and PhcReconcileRun); empty or
 * absent when it did not. Only time_budget is routine (a backfill continues on the next tick): every other cause
 * needs a human, and the failed-runs alert fires on it.
 */
export const RunCause = {
  timeBudget: 'time_budget',
  rejectedRecords: 'rejected_records',
  incompleteListing: 'incomplete_listing',
  emptyWindowContradicted: 'empty_window_contradicted',
  interrupted: 'interrupted',
  /** A failed run (status failed): the error says why. */
  error: 'error',
} as const;

const d = Dimension;

export const Metric = {
  syncRowsFetched: { name: 'phc_sync_rows_fetched', dimensions: [d.entity, d.trigger, d.status], description: 'Records read from the shop by one sync run' },
  syncRowsChanged: { name: 'phc_sync_rows_changed', dimensions: [d.entity, d.trigger, d.status], description: 'Records inserted or changed in raw by one sync run' },
  syncRowsUnchanged: { name: 'phc_sync_rows_unchanged', dimensions: [d.entity, d.trigger, d.status], description: 'Records re-read with an identical payload' },
  syncRowsRepaired: { name: 'phc_sync_rows_repaired', dimensions: [d.entity], description: 'Records stored with unstorable text repaired (NUL or half an emoji replaced by U+FFFD)' },
  syncPages: { name: 'phc_sync_pages', dimensions: [d.entity, d.trigger, d.status], description: 'Pages read by one sync run' },
  syncDurationMs: { name: 'phc_sync_duration_ms', dimensions: [d.entity, d.trigger, d.status], description: 'Wall time of one sync run' },
  syncWatermarkLagSeconds: { name: 'phc_sync_watermark_lag_seconds', dimensions: [d.entity], description: 'Shop clock minus the committed watermark, after a run' },
  reconcileMarkedDeleted: { name: 'phc_reconcile_marked_deleted', dimensions: [d.entity, d.status], description: 'Rows a reconciliation marked deleted' },
  quarantinedRecords: { name: 'phc_quarantined_records', dimensions: [d.entity], description: 'Open quarantine entries after a run' },
  prestashopRequestMs: { name: 'phc_prestashop_request_ms', dimensions: [d.resource, d.httpStatus, d.outcome], description: 'Latency of one PrestaShop webservice request' },
  prestashopRetries: { name: 'phc_prestashop_retries', dimensions: [d.resource, d.reason], description: 'Retries of PrestaShop requests' },
  analyticsRefreshMs: { name: 'phc_analytics_refresh_ms', dimensions: [d.mode, d.status], description: 'Wall time of one analytics refresh' },
  dataQualityFailures: { name: 'phc_dq_failing_rows', dimensions: [d.check, d.entity, d.severity], description: 'Failing rows of one data-quality check' },
  poisonMessages: { name: 'phc_poison_messages', dimensions: [d.queue], description: 'Messages moved to a poison queue' },
} as const satisfies Record<string, TelemetryName>;

export const Event = {
  syncRun: { name: 'PhcSyncRun', dimensions: [d.entity, d.trigger, d.status, d.runId, d.cause], optional: [d.cause], description: 'One sync run finished (any status); cause says why a partial one stopped (RunCause)' },
  reconcileRun: { name: 'PhcReconcileRun', dimensions: [d.entity, d.status, d.runId, d.cause], optional: [d.cause], description: 'One delete reconciliation finished; cause says why a partial one stopped (RunCause)' },
  recordQuarantined: { name: 'PhcRecordQuarantined', dimensions: [d.entity, d.reason], description: 'A record was set aside' },
  analyticsRefresh: { name: 'PhcAnalyticsRefresh', dimensions: [d.mode, d.status, d.runId], description: 'One analytics refresh finished' },
  dataQualityResult: { name: 'PhcDataQualityResult', dimensions: [d.check, d.entity, d.severity, d.status], description: 'One data-quality check result' },
  poisonMessage: { name: 'PhcPoisonMessage', dimensions: [d.queue, d.reason], description: 'A queue message was rejected for good' },
} as const satisfies Record<string, TelemetryName>;

export const allTelemetryNames = (): string[] => [...Object.values(Metric), ...Object.values(Event)].map((t) => t.name);
