import type { Pool, PoolClient } from 'pg';
import { isRowRefusal } from '../db/errors';
import type { CallOptions, RejectedRecord, ShopApi } from '../prestashop/api';
import type { Logger, Telemetry } from '../telemetry/types';
import { Dimension, Event } from '../telemetry/names';
import { storableJson, storableText } from '../db/storableText';
import { withTransaction } from '../db/transaction';
import { stripSensitive } from '../prestashop/sensitiveFields';
import type { StreamDef } from './entities';
import { describeError } from '../telemetry/logger';
import { writeRawRecords } from './rawWriter';

/** Rows rejected without an id cannot be retried by id; they are kept under record_id 0 (shop ids start at 1). */
export const NO_ID_RECORD = 0;

/**
 * Sets rejected rows aside in staging.quarantine, inside the page's transaction: a new entry, or one more attempt
 * of an open one (attempts + 1, last_attempt_at, latest reason and payload). A resolved entry that fails again
 * is reopened. Returns how many were not open before (new or reopened): a record re-read in a window's overlap while
 * it waits in the quarantine is not news.
 */
export async function quarantineRecords(
  client: PoolClient,
  info: StreamDef,
  rejected: readonly RejectedRecord[],
  runId: number,
): Promise<number> {
  if (rejected.length === 0) return 0;
  const byId = new Map<number, RejectedRecord>();
  for (const r of rejected) byId.set(r.id ?? NO_ID_RECORD, r);
  const ids = [...byId.keys()].map(String);
  const reasons = [...byId.values()].map((r) => storableText(r.reason.slice(0, 2000)));
  const payloads = [...byId.values()].map((r) => (r.payload === undefined || r.payload === null ? null : storableJson(stripSensitive(r.payload)).json));
  const { rows } = await client.query<{ open: string }>(
    `select count(*)::text as open from staging.quarantine where entity = $1 and record_id = any($2::bigint[]) and resolved_at is null`,
    [info.entity, ids],
  );
  await client.query(
    `insert into staging.quarantine as q (entity, record_id, reason, payload, last_run_id)
     select $1, t.id, t.reason, t.payload, $5 from unnest($2::bigint[], $3::text[], $4::jsonb[]) as t(id, reason, payload)
     on conflict (entity, record_id) do update set
       reason = excluded.reason, payload = excluded.payload, last_run_id = excluded.last_run_id,
       attempts = q.attempts + 1, last_attempt_at = now(), resolved_at = null`,
    [info.entity, ids, reasons, payloads, runId],
  );
  return ids.length - Number(rows[0]?.open ?? 0);
}

/** Retries per run, least recently tried first, so a long quarantine cannot eat a timer's time budget. */
export const MAX_RETRIES_PER_RUN = 50;

export interface RetryOutcome {
  resolved: number;
  stillFailing: number;
  changed: number;
  repaired: number;
  /** The first reason a retried record still fails with. */
  firstReason?: string;
}

/**
 * Retries open quarantine entries of the entity (at most MAX_RETRIES_PER_RUN) with fetchById. A record the shop now
 * serves is written to raw and the entry resolved, in one transaction; one the shop says is gone is resolved too
 * (reconciliation handles deletes); one that still fails, at the shop or in the database, gets another attempt
 * counted with its latest reason.
 */
export async function retryQuarantined(
  deps: { pool: Pool; api: ShopApi; log: Logger; telemetry: Telemetry },
  info: StreamDef,
  runId: number,
  call: CallOptions = {},
): Promise<RetryOutcome> {
  const { rows } = await deps.pool.query<{ record_id: string }>(
    `select record_id from staging.quarantine
     where entity = $1 and resolved_at is null and record_id <> $2 order by last_attempt_at, record_id limit $3`,
    [info.entity, NO_ID_RECORD, MAX_RETRIES_PER_RUN],
  );
  const outcome: RetryOutcome = { resolved: 0, stillFailing: 0, changed: 0, repaired: 0 };
  for (const row of rows) {
    call.signal?.throwIfAborted();
    const id = Number(row.record_id);
    try {
      const record = await deps.api.fetchById(info.resource, id, call);
      await withTransaction(deps.pool, async (client) => {
        if (record) {
          const counts = await writeRawRecords(client, info, [record], runId);
          outcome.changed += counts.changed;
          outcome.repaired += counts.repaired.length;
        }
        await client.query(
          `update staging.quarantine set resolved_at = now(), last_attempt_at = now(), last_run_id = $3,
             reason = case when $4 then reason else reason || ' (resolved: the shop no longer has this id)' end
           where entity = $1 and record_id = $2`,
          [info.entity, id, runId, record !== null],
        );
      });
      outcome.resolved++;
      deps.log.info('quarantined record resolved', { recordId: id, found: record !== null });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      outcome.stillFailing++;
      const reason = isRowRefusal(error) ? `the database refuses this record: ${describeError(error)}` : describeError(error);
      outcome.firstReason ??= reason;
      await deps.pool.query(
        `update staging.quarantine set attempts = attempts + 1, last_attempt_at = now(), reason = $3, last_run_id = $4
         where entity = $1 and record_id = $2`,
        [info.entity, id, reason, runId],
      );
      deps.log.warn('quarantined record still fails', { recordId: id, reason });
    }
  }
  return outcome;
}

export function reportQuarantined(telemetry: Telemetry, log: Logger, info: StreamDef, rejected: readonly RejectedRecord[]): void {
  for (const r of rejected) {
    log.warn('record quarantined', { recordId: r.id, reason: r.reason });
    telemetry.event(Event.recordQuarantined, { [Dimension.entity]: info.entity, [Dimension.reason]: r.reason.slice(0, 200) });
  }
}

export async function openQuarantineCount(db: Pool | PoolClient, info: StreamDef): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'select count(*)::text as n from staging.quarantine where entity = $1 and resolved_at is null',
    [info.entity],
  );
  return Number(rows[0]?.n ?? 0);
}
