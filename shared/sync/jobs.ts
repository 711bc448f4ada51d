import type { Pool } from 'pg';
import type { AppConfig } from '../config/types';
import type { ShopApi } from '../prestashop/api';
import { hasPendingChanges } from '../analytics/pendingChanges';
import type { Logger, Telemetry } from '../telemetry/types';
import { STREAM_NAMES, STREAMS, SWEPT_STREAMS, type StreamName } from './entities';
import { runReconcile, type ReconcileResult } from './reconcile';
import { refreshMessageFor, refreshMessageForReconcile, type RefreshMessage } from './refreshMessage';
import { runStream, type SyncableStream } from './runStream';
import { SyncRunError } from './runSync';
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
 * One timer tick: the given streams in turn, sharing the configured time budget (a stream left without time waits
 * for the next tick, which resumes it), then the queue message when raw holds changes analytics has not processed
 * (this tick's, or those of an earlier run that failed after committing).
 *
 * A failed run does not stop the streams after it; the tick then throws, naming every failure, so the host retries
 * it. A throwing handler sends no output (a Functions output binding is not written), so the nudge is left to the
 * next tick of any stream: it finds the same pending changes.
 */
export async function syncJob(
  runtime: SyncRuntime,
  streams: readonly SyncableStream[],
  trigger: string,
): Promise<{ results: SyncResult[]; message: RefreshMessage | null }> {
  const budget = runtime.config.sync.timeBudgetSeconds;
  const started = Date.now();
  const results: SyncResult[] = [];
  const failures: SyncRunError[] = [];
  for (const name of streams) {
    const left = budget === undefined ? undefined : budget - (Date.now() - started) / 1000;
    if (left !== undefined && left < 1) break;
    try {
      results.push(await runStream(syncDepsOf(runtime), name, { trigger, ...(left !== undefined ? { timeBudgetSeconds: Math.floor(left) } : {}) }));
    } catch (error) {
      if (!(error instanceof SyncRunError)) throw error;
      results.push(error.result);
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new Error(failures.map((f) => f.message).join('; '), { cause: failures[0] });
  // The message names the tick's first run that changed rows (else its first run); it is only a nudge.
  const named = results.find((r) => r.changed) ?? results[0];
  return { results, message: named ? refreshMessageFor(named, await hasPendingChanges(runtime.pool)) : null };
}

/** What the nightly timer sweeps: every stream with ids to reconcile, and the swept streams (read whole). */
export const NIGHTLY_SWEEPS: readonly StreamName[] = [...STREAM_NAMES.filter((n) => STREAMS[n].kind !== 'swept'), ...SWEPT_STREAMS];

/**
 * Reconciles every stream and reads the swept ones, one after the other; a failure or refusal of one does not stop
 * the others. Returns the results, one queue message when raw holds changes analytics has not processed (naming the
 * sweep that changed most), and a summary of the failures (empty when all succeeded or were skipped).
 */
export async function reconcileAllJob(
  runtime: SyncRuntime,
  trigger: string,
): Promise<{ results: ReconcileResult[]; messages: RefreshMessage[]; failures: string[] }> {
  const results: ReconcileResult[] = [];
  const failures: string[] = [];
  for (const entity of NIGHTLY_SWEEPS) {
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
