import { STREAMS, type SweptStreamName, type WindowedStreamName } from './entities';
import { runReconcile, type ReconcileResult } from './reconcile';
import { zeroCounts } from './runLedger';
import { runSync } from './runSync';
import type { SyncDeps, SyncOptions, SyncResult } from './types';

/** Anything `phc sync` and the timers can run by name: a stream read in windows, or a swept one. */
export type SyncableStream = WindowedStreamName | SweptStreamName;

/**
 * Runs one stream the way its declaration says: a windowed stream by runSync (its children with it), a swept one
 * (no dates) by a full keyset sweep that writes changed rows and marks the ids gone. Both answer a SyncResult.
 */
export async function runStream(deps: SyncDeps, name: SyncableStream, options: SyncOptions): Promise<SyncResult> {
  const stream = STREAMS[name];
  if (stream.kind === 'windowed') return runSync(deps, stream.name, options);
  const swept = await runReconcile(deps, stream.name, { trigger: options.trigger, ...(options.signal ? { signal: options.signal } : {}) });
  return sweepResult(swept);
}

function sweepResult(r: ReconcileResult): SyncResult {
  const written = r.written ?? zeroCounts();
  return {
    runId: r.runId,
    entity: r.entity,
    resource: r.resource as SweptStreamName,
    status: r.status,
    windowLo: null,
    windowHi: null,
    resumed: false,
    ...written,
    rowsChanged: written.rowsChanged + r.marked + r.restored,
    watermarkBefore: null,
    watermarkAfter: null,
    changed: written.rowsChanged + r.marked + r.restored > 0,
    timings: { shopWaitMs: 0, dbMs: 0 },
    ...(r.error !== undefined ? { reason: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    durationMs: r.durationMs,
  };
}
