/** What the CLI uses of the core, in one place. */
import type { AppConfig } from '../shared/config/types';
import type { EntityResource } from '../shared/prestashop/api';
import { createRuntime, type Runtime } from '../shared/runtime';
import { syncDepsOf, type ReconcileOptions, type ReconcileResult, type SyncDeps, type SyncOptions, type SyncProgress, type SyncResult } from '../shared/sync';
import { getTelemetry } from '../shared/telemetry/appInsights';
import type { Logger } from '../shared/telemetry/types';

export type { AppConfig, ReconcileResult, SyncProgress, SyncResult, SyncDeps };
export type { RefreshResult } from '../shared/analytics/refresh';
export type { ActivityCounts, ActivitySummary, Sandbox, SandboxOptions } from '../sandbox';

export type { Runtime };

/**
 * The options phc passes to runSync and runReconcile: `signal` stops a run on Ctrl-C (requests in flight are
 * aborted, nothing more is committed, the run is recorded as interrupted). Spelled out here so phc builds against
 * the sync core before and after `signal` lands in its own option types.
 */
export type SyncRunOptions = SyncOptions & { signal?: AbortSignal };
export type ReconcileRunOptions = ReconcileOptions & { signal?: AbortSignal };

/** The CLI's runtime: the process telemetry (Application Insights when configured, started first by main.ts). */
export function openRuntime(config: AppConfig, logger: Logger): Promise<Runtime> {
  return createRuntime(config, { logger, telemetry: getTelemetry() });
}

export function syncDeps(runtime: Runtime): SyncDeps {
  return syncDepsOf(runtime);
}

export const ENTITIES: readonly EntityResource[] = ['customers', 'products', 'orders'];
