import type { PoolClient } from 'pg';
import type { ShopRecord } from '../prestashop/api';
import type { StreamDef } from './entities';
import { rawPayloadOf } from './rawPayload';

export interface WriteCounts {
  /** Rows inserted, with a new payload, or brought back from deleted. */
  changed: number;
  /** Rows whose stored payload was already identical: nothing was written for them. */
  unchanged: number;
  /** Distinct ids written after de-duplicating the batch. */
  distinct: number;
  /** Records whose text was repaired to be storable (shared/db/storableText.ts), with the fields repaired. */
  repaired: { id: number; fields: string[] }[];
}

/**
 * Upserts one batch of shop records into raw.<entity> and appends new versions to its history, in the caller's
 * transaction, with one statement whatever the batch size (array binds, the payloads as one JSON array).
 *
 * - The batch is de-duplicated on id first (the last occurrence wins).
 * - Sensitive fields are removed and unstorable text repaired (shared/sync/rawPayload.ts) before anything is written.
 * - payload_sha256 is computed by PostgreSQL over jsonb::text, which is canonical (key order normalised).
 * - A row whose hash is unchanged and which is not marked deleted is not touched at all: no UPDATE, no history row.
 * - Column meanings: first_seen_at = when raw first stored the id; last_changed_at = when its payload (or deleted_at)
 *   last changed, stamped with clock_timestamp() after the change fence; last_seen_at = the last time the shop was
 *   seen serving this row's current content: set when a sync writes the row and when reconciliation restores it.
 *   An unchanged row re-read by a sync keeps its older last_seen_at (rewriting it would break "unchanged writes
 *   nothing"); the last successful reconcile run in staging.etl_runs says when every live row was last confirmed.
 * - A row marked deleted that a sync reads again is live: deleted_at is cleared.
 *
 * last_changed_at is stamped by the raw tables' trigger (the analytics refresh's change fence, migration 007).
 */
export async function writeRawRecords(
  client: PoolClient,
  info: StreamDef,
  records: readonly ShopRecord[],
  runId: number | null,
): Promise<WriteCounts> {
  const byId = new Map<number, ShopRecord>();
  for (const record of records) {
    byId.delete(record.id); // keep the last occurrence, in arrival order
    byId.set(record.id, record);
  }
  if (byId.size === 0) return { changed: 0, unchanged: 0, distinct: 0, repaired: [] };

  const ids: string[] = [];
  const payloads: string[] = [];
  const dates: (string | null)[] = [];
  const parents: (string | null)[] = [];
  const repaired: WriteCounts['repaired'] = [];
  const child = info.kind === 'child';
  for (const record of byId.values()) {
    const raw = rawPayloadOf(record, info.kind === 'windowed' ? info.dateField : null);
    ids.push(String(raw.id));
    payloads.push(raw.json);
    dates.push(raw.dateLocal);
    if (child) parents.push(parentIdOf(record[info.parentKey]));
    if (raw.repairedPaths.length > 0) repaired.push({ id: raw.id, fields: raw.repairedPaths });
  }
  // Payloads travel as one JSON array: PostgreSQL parses that about twice as fast as a jsonb[] array literal.
  const payloadArray = `[${payloads.join(',')}]`;

  // Named, so each connection plans it once (a page costs about 2 ms to plan: two data-modifying CTEs).
  const { rows } = await client.query<{ changed: string }>({
    name: `raw-write-${info.entity}`,
    text: `with input as (
       select t.id, e.payload, t.date_upd_local, t.parent_id, sha256(convert_to(e.payload::text, 'UTF8')) as sha
       from jsonb_array_elements($2::jsonb) with ordinality as e(payload, n)
       join unnest($1::bigint[], $3::timestamp[], $5::bigint[]) with ordinality as t(id, date_upd_local, parent_id, n) on t.n = e.n
     ),
     written as (
       insert into ${info.table} as r
         (id, payload, payload_sha256, date_upd_local, first_seen_at, last_changed_at, last_seen_at, last_run_id, deleted_at${child ? ', parent_id' : ''})
       select id, payload, sha, date_upd_local, now(), now(), now(), $4, null${child ? ', parent_id' : ''} from input
       on conflict (id) do update set
         payload = excluded.payload,
         payload_sha256 = excluded.payload_sha256,
         date_upd_local = excluded.date_upd_local,${child ? '\n         parent_id = excluded.parent_id,' : ''}
         last_seen_at = now(),
         last_run_id = excluded.last_run_id,
         deleted_at = null
       where r.payload_sha256 is distinct from excluded.payload_sha256 or r.deleted_at is not null
       returning r.id
     ),
     history as (
       insert into ${info.historyTable} (id, payload_sha256, payload, date_upd_local, run_id)
       select i.id, i.sha, i.payload, i.date_upd_local, $4 from input i join written w on w.id = i.id
       on conflict (id, payload_sha256) do nothing
     )
     select count(*)::text as changed from written`,
    values: [ids, payloadArray, dates, runId, child ? parents : ids.map(() => null)],
  });
  const changed = Number(rows[0]?.changed ?? 0);
  return { changed, unchanged: byId.size - changed, distinct: byId.size, repaired };
}

/** The parent's id a child record names (a number in 8.1, a string in 1.7), or null. */
function parentIdOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value)) return value;
  return null;
}
