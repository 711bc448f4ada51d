import type { Pool } from 'pg';
import type { AppConfig } from '../config/types';
import type { EntityResource, ShopApi } from '../prestashop/api';
import { hasPendingChanges } from '../analytics/pendingChanges';
import type { Logger, Telemetry } from '../telemetry/types';
import { ENTITY_RESOURCES } from './entities';
import { runReconcile, type ReconcileResult } from './reconcile';
import { refreshMessageFor, refreshMessageForReconcile, type RefreshMessage } from './refreshMessage';
import { runSync } from './runSync';
import type { SyncDeps, SyncResult } from './types';

/** What a host (Functions, CLI) hands the sync: structurally what shared/runtime.ts createRuntime returns. */
export interface SyncRuntime {
  config: Pick<AppConfig, 'sync' | 'prestashop'>;
  pool: Pool;
  api: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  close(): Promise<void>;
}

export function syncDepsOf(runtime: SyncRuntime): SyncDeps {
  const { sync, prestashop } = runtime.config;
  return {
    pool: runtime.pool,
    api: runtime.api,
    log: runtime.log,
    telemetry: runtime.telemetry,
    settings: {
      lagSeconds: sync.lagSeconds,
      overlapSeconds: sync.overlapSeconds,
      pageSize: prestashop.pageSize,
      reconcileMaxDeleteShare: sync.reconcileMaxDeleteShare,
      reconcilePageSize: sync.reconcilePageSize,
      concurrency: prestashop.concurrency,
      maxRejectShare: sync.maxRejectShare,
    },
  };
}

/**
 * One timer tick of an entity sync: the run (within the configured time budget) and the queue message when raw
 * holds changes analytics has not processed (this run's, or those of an earlier run that failed after committing).
 * A failed run throws and sends nothing (a Functions output binding is not written when the handler throws); the
 * next tick of any entity sends the nudge instead, and the host retries the failed tick.
 */
export async function syncJob(
  runtime: SyncRuntime,
  entity: EntityResource,
  trigger: string,
): Promise<{ result: SyncResult; message: RefreshMessage | null }> {
  const budget = runtime.config.sync.timeBudgetSeconds;
  const result = await runSync(syncDepsOf(runtime), entity, { trigger, ...(budget !== undefined ? { timeBudgetSeconds: budget } : {}) });
  return { result, message: refreshMessageFor(result, await hasPendingChanges(runtime.pool)) };
}

/**
 * Reconciles every entity, one after the other; a failure or refusal of one does not stop the others.
 * Returns the results, one queue message when raw holds changes analytics has not processed (naming the sweep that
 * changed most), and a summary of the failures (empty when all succeeded or were skipped).
 */
export async function reconcileAllJob(
  runtime: SyncRuntime,
  trigger: string,
): Promise<{ results: ReconcileResult[]; messages: RefreshMessage[]; failures: string[] }> {
  const results: ReconcileResult[] = [];
  const failures: string[] = [];
  for (const entity of ENTITY_RESOURCES) {
    try {
      const result = await runReconcile(syncDepsOf(runtime), entity, { trigger });
      results.push(result);
      if (result.status === 'failed') failures.push(`${entity}: ${result.error ?? 'failed'}`);
    } catch (error) {
      failures.push(`${entity}: ${(error as Error).message}`);
    }
  }
  const mostChanged = [...results].sort((a, b) => b.marked + b.restored - (a.marked + a.restored))[0];
  const message = mostChanged ? refreshMessageForReconcile(mostChanged, await hasPendingChanges(runtime.pool)) : null;
  return { results, messages: message ? [message] : [], failures };
}
