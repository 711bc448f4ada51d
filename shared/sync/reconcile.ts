import type { PoolClient } from 'pg';
import { withSessionLock } from '../db/sessionLock';
import { changeStampSql, holdRawWriteShared } from '../db/changeFence';
import type { EntityResource } from '../prestashop/api';
import { Dimension, Event, Metric } from '../telemetry/names';
import { inTransaction } from './clientTransaction';
import { ENTITIES, type EntityInfo, type EntityName } from './entities';
import { errorText } from './errorText';
import { finishRun, startRun, zeroCounts, type RunStatus } from './runLedger';
import type { SyncDeps } from './types';

export interface ReconcileOptions {
  trigger: string;
  /** Overrides settings.reconcileMaxDeleteShare for this sweep. */
  maxDeleteShare?: number;
  /** Mark deletes even beyond the share guard. */
  force?: boolean;
}

export interface ReconcileResult {
  runId: number;
  entity: EntityName;
  resource: EntityResource;
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
  /** How many rows would have been marked (equals marked unless refused). */
  wouldMark: number;
  error?: string;
  durationMs: number;
}

/** Thrown when a reconciliation fails on an error (a refusal by the share guard is returned, not thrown). */
export class ReconcileRunError extends Error {
  override name = 'ReconcileRunError';
}

/**
 * Delete reconciliation (WEBSERVICE.md §8, §11.7): sweeps every id the shop has, by keyset, into a session temp
 * table on the run's own client (memory stays flat), then in one transaction marks raw rows the shop no longer has
 * (deleted_at, last_changed_at) and clears deleted_at for ids that came back. Rows first seen after the sweep
 * started are never judged (a concurrent sync may have loaded ids created after the listing passed them).
 * Refuses, changing nothing, when more than maxDeleteShare of the live rows would be marked, unless forced.
 * Rows the shop still has are not touched: refreshing last_seen_at on every row each night would rewrite the whole
 * table (about 240 MB of WAL per 100,000 orders). The sweep's staging.etl_runs row records when every live row was
 * last confirmed present; restored rows get last_seen_at = now().
 */
export async function runReconcile(deps: SyncDeps, entity: EntityResource, options: ReconcileOptions): Promise<ReconcileResult> {
  const info = ENTITIES[entity];
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
  info: EntityInfo,
  options: ReconcileOptions,
  maxShare: number,
  startedMs: number,
): Promise<ReconcileResult> {
  const clock = deps.clock ?? Date.now;
  const runId = await startRun(deps.pool, { entity: info.entity, kind: 'reconcile', trigger: options.trigger, details: { maxDeleteShare: maxShare, force: options.force === true } });
  const log = deps.log.child({ runId, entity: info.entity });
  const result = emptyResult(info, runId, 'succeeded', 0);
  try {
    // Sweeps left 'running' by a killed process: we hold the lock, so none of them is alive.
    await deps.pool.query(
      `update staging.etl_runs set status = 'failed', finished_at = now(),
         error = coalesce(error, 'abandoned: the process ended before the sweep recorded its outcome')
       where entity = $1 and kind = 'reconcile' and status = 'running' and run_id <> $2`,
      [info.entity, runId],
    );
    await client.query('drop table if exists pg_temp.reconcile_shop_ids');
    await client.query('create temp table reconcile_shop_ids (id bigint primary key)');
    const { rows: startRows } = await client.query<{ started: Date }>('select now() as started');
    const sweepStarted = startRows[0]?.started;
    let pages = 0;
    for await (const ids of deps.api.idPages(info.resource, { pageSize: deps.settings.reconcilePageSize })) {
      pages++;
      if (ids.length === 0) continue;
      await client.query('insert into reconcile_shop_ids (id) select unnest($1::bigint[]) on conflict do nothing', [ids.map(String)]);
    }
    await client.query('analyze reconcile_shop_ids');

    await inTransaction(client, async () => {
      const { rows } = await client.query<{ shop: string; live: string; gone: string; back: string; missing: string }>(
        `select (select count(*) from reconcile_shop_ids)::text as shop,
                (select count(*) from ${info.table} where deleted_at is null)::text as live,
                (select count(*) from ${info.table} r where r.deleted_at is null and r.first_seen_at < $1
                   and not exists (select 1 from reconcile_shop_ids s where s.id = r.id))::text as gone,
                (select count(*) from ${info.table} r where r.deleted_at is not null
                   and exists (select 1 from reconcile_shop_ids s where s.id = r.id))::text as back,
                (select count(*) from reconcile_shop_ids s
                   where not exists (select 1 from ${info.table} r where r.id = s.id))::text as missing`,
        [sweepStarted],
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
        result.error =
          `refused to mark ${result.wouldMark} of ${result.liveRows} live ${info.resource} deleted (${(share * 100).toFixed(1)}% > ` +
          `${(maxShare * 100).toFixed(1)}% allowed): the shop listed ${result.shopIds} ids, which may be an empty or partial listing. ` +
          'Nothing was changed; check the shop, then rerun with force to accept';
        return;
      }
      if (result.wouldMark === 0 && back === 0) return;
      await holdRawWriteShared(client);
      const marked = await client.query(
        `update ${info.table} r set deleted_at = now(), last_changed_at = ${changeStampSql}, last_run_id = $2
         where r.deleted_at is null and r.first_seen_at < $1
           and not exists (select 1 from reconcile_shop_ids s where s.id = r.id)`,
        [sweepStarted, runId],
      );
      const restored = await client.query(
        `update ${info.table} r set deleted_at = null, last_changed_at = ${changeStampSql}, last_seen_at = now(), last_run_id = $1
         where r.deleted_at is not null and exists (select 1 from reconcile_shop_ids s where s.id = r.id)`,
        [runId],
      );
      result.marked = marked.rowCount ?? 0;
      result.restored = restored.rowCount ?? 0;
    });
    await client.query('drop table if exists pg_temp.reconcile_shop_ids');

    result.durationMs = clock() - startedMs;
    const counts = { ...zeroCounts(), rowsFetched: result.shopIds, rowsChanged: result.marked + result.restored, pages };
    await finishRun(deps.pool, runId, {
      status: result.status,
      counts,
      error: result.error ?? null,
      details: {
        marked: result.marked, restored: result.restored, refused: result.refused, wouldMark: result.wouldMark,
        liveRows: result.liveRows, shopIds: result.shopIds, missingInRaw: result.missingInRaw,
      },
    });
    emitReconcileTelemetry(deps, result);
    if (result.refused) log.error('reconciliation refused', { error: result.error });
    else log.info('reconciliation finished', { marked: result.marked, restored: result.restored, shopIds: result.shopIds, missingInRaw: result.missingInRaw });
    return result;
  } catch (error) {
    const message = errorText(error);
    result.status = 'failed';
    result.error = message;
    result.durationMs = clock() - startedMs;
    await finishRun(deps.pool, runId, { status: 'failed', counts: zeroCounts(), error: message, details: { marked: 0, restored: 0, refused: false } }).catch(
      (ledgerError: unknown) => log.error('could not record the failed run', { error: errorText(ledgerError) }),
    );
    emitReconcileTelemetry(deps, result);
    log.error('reconciliation failed', { error: message });
    throw new ReconcileRunError(`Reconciliation of ${info.resource} failed (run ${runId}): ${message}`, { cause: error });
  }
}

function emptyResult(info: EntityInfo, runId: number, status: RunStatus, durationMs: number): ReconcileResult {
  return {
    runId, entity: info.entity, resource: info.resource, status, shopIds: 0, liveRows: 0, marked: 0, restored: 0,
    missingInRaw: 0, refused: false, wouldMark: 0, durationMs,
  };
}

function emitReconcileTelemetry(deps: SyncDeps, result: ReconcileResult): void {
  deps.telemetry.metric(Metric.reconcileMarkedDeleted, result.marked, { [Dimension.entity]: result.entity, [Dimension.status]: result.status });
  deps.telemetry.event(
    Event.reconcileRun,
    { [Dimension.entity]: result.entity, [Dimension.status]: result.status, [Dimension.runId]: String(result.runId) },
    { marked: result.marked, restored: result.restored, shopIds: result.shopIds, refused: result.refused ? 1 : 0, durationMs: result.durationMs },
  );
}
