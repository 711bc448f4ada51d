import type { PoolClient } from 'pg';
import { withSessionLock } from '../db/sessionLock';
import { Dimension, Event, Metric } from '../telemetry/names';
import { inTransaction } from '../db/transaction';
import { PrestaShopError } from '../prestashop/errors';
import { createRequestGate } from '../prestashop/requestGate';
import { STREAMS, type StreamDef, type EntityName, type StreamName } from './entities';
import { describeError } from '../telemetry/logger';
import { writePage } from './pageWriter';
import { closeAbandonedRuns, finishRun, startRun, zeroCounts, type RunCause, type RunCounts, type RunStatus } from './runLedger';
import { DEFAULT_CONCURRENCY } from './syncRun';
import type { SyncDeps } from './types';

export interface ReconcileOptions {
  trigger: string;
  /** Stops the sweep (Ctrl-C): the listing is aborted, nothing is marked, the run is 'interrupted'. */
  signal?: AbortSignal;
  /** Overrides settings.reconcileMaxDeleteShare for this sweep. */
  maxDeleteShare?: number;
  /** Mark deletes even beyond the share guard. */
  force?: boolean;
}

export interface ReconcileResult {
  runId: number;
  entity: EntityName;
  resource: StreamName;
  status: RunStatus;
  /** Ids the shop listed. */
  shopIds: number;
  /** Rows of raw not marked deleted before the sweep. */
  liveRows: number;
  /** Rows newly marked deleted (0 when refused). */
  marked: number;
  /** Rows whose deleted_at was cleared because the shop lists them again. */
  restored: number;
  /** Ids the shop lists that raw does not hold (a later sync window or a full refresh loads them). */
  missingInRaw: number;
  /** The share guard stopped the sweep: nothing was changed. */
  refused: boolean;
  /**
   * The listing ended below the shop's highest id (cut short by the shop): ids above the last one listed are not
   * judged, and the run is partial.
   */
  incomplete: boolean;
  /** The highest id the listing reached: nothing above it is ever marked. */
  listedUpTo: number;
  /** A swept stream (no dates: read whole each time): what the sweep wrote to raw. */
  written?: RunCounts;
  /** How many rows would have been marked (equals marked unless refused). */
  wouldMark: number;
  error?: string;
  cause?: RunCause;
  durationMs: number;
}

/** Thrown when a reconciliation fails on an error (a refusal by the share guard is returned, not thrown). */
export class ReconcileRunError extends Error {
  override name = 'ReconcileRunError';
}

/**
 * Delete reconciliation (docs/prestashop-webservice.md §8, §11.7): sweeps every id the shop has, by keyset, into a session temp
 * table on the run's own client (memory stays flat), then in one transaction marks raw rows the shop no longer has
 * (deleted_at, last_changed_at) and clears deleted_at for ids that came back. Rows first seen after the sweep
 * started are never judged (a concurrent sync may have loaded ids created after the listing passed them).
 * Refuses, changing nothing, when more than maxDeleteShare of the live rows would be marked, unless forced.
 * Trusts the listing only as far as it provably reached (shared/prestashop/keyset.ts checks every page, and the
 * shop's highest id is probed at the end): a listing cut short marks nothing above the last id it listed, and the
 * run is partial.
 * A swept stream (carriers, countries, combinations, stock: no dates to window on) is read the same way with
 * display=full: each page's records are written as a sync writes them (unchanged ones are not touched), so its
 * history holds every version; it is recorded as the stream's sync run.
 * Rows the shop still has are not touched: refreshing last_seen_at on every row each night would rewrite the whole
 * table (about 240 MB of WAL per 100,000 orders). The sweep's staging.etl_runs row records when every live row was
 * last confirmed present; restored rows get last_seen_at = now().
 */
export async function runReconcile(deps: SyncDeps, entity: StreamName, options: ReconcileOptions): Promise<ReconcileResult> {
  const info: StreamDef = STREAMS[entity];
  const clock = deps.clock ?? Date.now;
  const startedMs = clock();
  const maxShare = options.maxDeleteShare ?? deps.settings.reconcileMaxDeleteShare;
  return withSessionLock(
    deps.pool,
    info.reconcileLock,
    (client) => lockedReconcile(deps, client, info, options, maxShare, startedMs),
    async () => {
      const reason = `another ${entity} reconciliation holds the lock`;
      const runId = await startRun(deps.pool, { entity: info.entity, kind: 'reconcile', trigger: options.trigger, status: 'skipped', details: { reason } });
      const result = emptyResult(info, runId, 'skipped', clock() - startedMs);
      emitReconcileTelemetry(deps, result);
      return { ...result, error: reason };
    },
  );
}

async function lockedReconcile(
  deps: SyncDeps,
  client: PoolClient,
  info: StreamDef,
  options: ReconcileOptions,
  maxShare: number,
  startedMs: number,
): Promise<ReconcileResult> {
  const clock = deps.clock ?? Date.now;
  const sweep = info.kind === 'swept';
  const kind = sweep ? 'sync' : 'reconcile';
  const runId = await startRun(deps.pool, { entity: info.entity, kind, trigger: options.trigger, details: { maxDeleteShare: maxShare, force: options.force === true, ...(sweep ? { mode: 'sweep' } : {}) } });
  const log = deps.log.child({ runId, entity: info.entity });
  const result = emptyResult(info, runId, 'succeeded', 0);
  try {
    await closeAbandonedRuns(deps.pool, { entity: info.entity, kinds: [kind], runId, why: 'abandoned: the process ended before the sweep recorded its outcome' });
    await client.query('drop table if exists pg_temp.reconcile_shop_ids');
    await client.query('create temp table reconcile_shop_ids (id bigint primary key)');
    const { rows: startRows } = await client.query<{ started: Date }>('select now() as started');
    const sweepStarted = startRows[0]?.started;
    let pages = 0;
    /** Rows above this id are not judged: the listing did not provably reach them. Null once the listing is complete. */
    let markUpTo: number | null = 0;
    const gate = createRequestGate(deps.settings.concurrency ?? DEFAULT_CONCURRENCY);
    try {
      const listing = deps.api.keysetPages({
        resource: info.resource, afterId: 0, pageSize: sweep ? deps.settings.pageSize : deps.settings.reconcilePageSize,
        display: sweep ? 'full' : 'ids', gate, ...(options.signal ? { signal: options.signal } : {}),
      });
      for await (const page of listing) {
        pages++;
        const ids = [...page.records.map((r) => r.id), ...page.rejected.flatMap((r) => (r.id === null ? [] : [r.id]))];
        if (sweep) {
          const written = await writePage(client, info, page, runId, () => Promise.resolve());
          const counts = (result.written ??= zeroCounts());
          counts.pages++;
          counts.rowsFetched += page.records.length;
          counts.rowsChanged += written.changed;
          counts.rowsUnchanged += written.unchanged;
          counts.rowsQuarantined += page.rejected.length + written.refused.length;
          counts.rowsRepaired += written.repaired.length;
        }
        if (page.lastId !== null) result.listedUpTo = page.lastId;
        if (ids.length === 0) continue;
        await client.query('insert into reconcile_shop_ids (id) select unnest($1::bigint[]) on conflict do nothing', [ids.map(String)]);
      }
      // The listing reached the shop's highest id (the keyset listing checks it): rows of raw above it are gone for real.
      markUpTo = null;
    } catch (error) {
      if (!(error instanceof PrestaShopError && error.kind === 'incomplete')) throw error;
      result.incomplete = true;
      markUpTo = result.listedUpTo;
      result.status = 'partial';
      result.error = `${error.message}. Ids above ${result.listedUpTo} were not judged; rerun the reconciliation once the shop lists them all`;
    }
    await client.query('analyze reconcile_shop_ids');

    await inTransaction(client, async () => {
      const { rows } = await client.query<{ shop: string; live: string; gone: string; back: string; missing: string }>(
        `select (select count(*) from reconcile_shop_ids)::text as shop,
                (select count(*) from ${info.table} where deleted_at is null)::text as live,
                (select count(*) from ${info.table} r where r.deleted_at is null and r.first_seen_at < $1 and ($2::bigint is null or r.id <= $2)
                   and not exists (select 1 from reconcile_shop_ids s where s.id = r.id))::text as gone,
                (select count(*) from ${info.table} r where r.deleted_at is not null
                   and exists (select 1 from reconcile_shop_ids s where s.id = r.id))::text as back,
                (select count(*) from reconcile_shop_ids s
                   where not exists (select 1 from ${info.table} r where r.id = s.id))::text as missing`,
        [sweepStarted, markUpTo],
      );
      const row = rows[0];
      result.shopIds = Number(row?.shop ?? 0);
      result.liveRows = Number(row?.live ?? 0);
      result.wouldMark = Number(row?.gone ?? 0);
      result.missingInRaw = Number(row?.missing ?? 0);
      const back = Number(row?.back ?? 0);
      const share = result.liveRows === 0 ? 0 : result.wouldMark / result.liveRows;
      if (share > maxShare && options.force !== true) {
        result.refused = true;
        result.status = 'failed';
        result.cause = 'error';
        result.error =
          `refused to mark ${result.wouldMark} of ${result.liveRows} live ${info.resource} deleted (${(share * 100).toFixed(1)}% > ` +
          `${(maxShare * 100).toFixed(1)}% allowed): the shop listed ${result.shopIds} ids, which may be an empty or partial listing. ` +
          'Nothing was changed; check the shop, then rerun with force to accept';
        return;
      }
      if (result.wouldMark === 0 && back === 0) return;
      const marked = await client.query(
        `update ${info.table} r set deleted_at = now(), last_run_id = $2
         where r.deleted_at is null and r.first_seen_at < $1 and ($3::bigint is null or r.id <= $3)
           and not exists (select 1 from reconcile_shop_ids s where s.id = r.id)`,
        [sweepStarted, runId, markUpTo],
      );
      const restored = await client.query(
        `update ${info.table} r set deleted_at = null, last_seen_at = now(), last_run_id = $1
         where r.deleted_at is not null and exists (select 1 from reconcile_shop_ids s where s.id = r.id)`,
        [runId],
      );
      result.marked = marked.rowCount ?? 0;
      result.restored = restored.rowCount ?? 0;
    });
    await client.query('drop table if exists pg_temp.reconcile_shop_ids');

    result.durationMs = clock() - startedMs;
    const counts = result.written
      ? { ...result.written, rowsChanged: result.written.rowsChanged + result.marked + result.restored }
      : { ...zeroCounts(), rowsFetched: result.shopIds, rowsChanged: result.marked + result.restored, pages };
    if (result.incomplete) result.cause = 'incomplete_listing';
    await finishRun(deps.pool, runId, {
      status: result.status,
      counts,
      error: result.error ?? null,
      cause: result.cause ?? null,
      details: {
        marked: result.marked, restored: result.restored, refused: result.refused, wouldMark: result.wouldMark,
        liveRows: result.liveRows, shopIds: result.shopIds, missingInRaw: result.missingInRaw,
        incomplete: result.incomplete, listedUpTo: result.listedUpTo, fetch: gate.stats(),
      },
    });
    emitReconcileTelemetry(deps, result);
    if (result.refused) log.error('reconciliation refused', { error: result.error });
    else if (result.incomplete) log.warn('reconciliation partial: the shop cut the listing short', { error: result.error });
    else log.info('reconciliation finished', { marked: result.marked, restored: result.restored, shopIds: result.shopIds, missingInRaw: result.missingInRaw });
    return result;
  } catch (error) {
    const interrupted = options.signal?.aborted === true;
    const message = interrupted ? 'interrupted by the operator: nothing was marked; rerun the reconciliation' : describeError(error);
    result.status = interrupted ? 'interrupted' : 'failed';
    result.cause = interrupted ? 'interrupted' : 'error';
    result.error = message;
    result.durationMs = clock() - startedMs;
    await finishRun(deps.pool, runId, { status: result.status, counts: zeroCounts(), error: message, cause: result.cause, details: { marked: 0, restored: 0, refused: false } }).catch(
      (ledgerError: unknown) => log.error('could not record the failed run', { error: describeError(ledgerError) }),
    );
    emitReconcileTelemetry(deps, result);
    log.error(interrupted ? 'reconciliation interrupted' : 'reconciliation failed', { error: message });
    throw new ReconcileRunError(`Reconciliation of ${info.resource} ${interrupted ? 'interrupted' : 'failed'} (run ${runId}): ${message}`, { cause: error });
  }
}

function emptyResult(info: StreamDef, runId: number, status: RunStatus, durationMs: number): ReconcileResult {
  return {
    runId, entity: info.entity, resource: info.name, status, shopIds: 0, liveRows: 0, marked: 0, restored: 0,
    missingInRaw: 0, refused: false, incomplete: false, listedUpTo: 0, wouldMark: 0, durationMs,
  };
}

function emitReconcileTelemetry(deps: SyncDeps, result: ReconcileResult): void {
  deps.telemetry.metric(Metric.reconcileMarkedDeleted, result.marked, { [Dimension.entity]: result.entity, [Dimension.status]: result.status });
  deps.telemetry.event(
    Event.reconcileRun,
    { [Dimension.entity]: result.entity, [Dimension.status]: result.status, [Dimension.runId]: String(result.runId), [Dimension.cause]: result.cause ?? '' },
    { marked: result.marked, restored: result.restored, shopIds: result.shopIds, refused: result.refused ? 1 : 0, durationMs: result.durationMs },
  );
}
