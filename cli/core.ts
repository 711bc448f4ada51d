/** What the CLI uses of the core, in one place. */
import type { AppConfig } from '../shared/config/types';
import { STREAM_NAMES, STREAMS, SYNC_ORDER, type StreamName } from '../shared/sync/entities';
import type { SyncableStream } from '../shared/sync/runStream';
import { createRuntime, type Runtime } from '../shared/runtime';
import { syncDepsOf, type ReconcileOptions, type ReconcileResult, type SyncDeps, type SyncOptions, type SyncProgress, type SyncResult } from '../shared/sync';
import { getTelemetry } from '../shared/telemetry/appInsights';
import type { Logger } from '../shared/telemetry/types';

export type { AppConfig, ReconcileResult, SyncProgress, SyncResult, SyncDeps };
export type { RefreshResult } from '../shared/analytics/refresh';
export type { ActivityCounts, ActivitySummary, Sandbox, SandboxOptions } from '../sandbox';

export type { Runtime };

/** `signal` in both stops a run on Ctrl-C: requests in flight are aborted, the run is recorded as interrupted. */
export type SyncRunOptions = SyncOptions;
export type ReconcileRunOptions = ReconcileOptions;

/** The CLI's runtime: the process telemetry (Application Insights when configured, started first by main.ts). */
export function openRuntime(config: AppConfig, logger: Logger): Promise<Runtime> {
  return createRuntime(config, { logger, telemetry: getTelemetry() });
}

export function syncDeps(runtime: Runtime): SyncDeps {
  return syncDepsOf(runtime);
}

/** What phc sync reads, in load order (what a record names before the record): every windowed and swept stream. */
export const SYNC_STREAMS: readonly SyncableStream[] = SYNC_ORDER;
/** What phc reconcile sweeps: every stream with ids (the swept ones are read whole by their sync). */
export const RECONCILE_STREAMS: readonly StreamName[] = STREAM_NAMES.filter((name) => STREAMS[name].kind !== 'swept');
