import type { PoolClient } from 'pg';
import type { RejectedRecord, ShopRecord } from '../prestashop/api';
import { anyOf } from '../prestashop/query';
import { STREAMS, type ChildStreamName } from './entities';
import { writeBisecting } from './pageWriter';
import { quarantineRecords } from './quarantine';
import type { SyncRun } from './syncRun';

/** Parent ids per child listing: keeps a request line far under web servers' 8 KB limit. */
const PARENTS_PER_REQUEST = 100;

export interface ChildRows {
  name: ChildStreamName;
  /** The parents these rows were listed for: their children absent from `records` are gone. */
  parentIds: number[];
  records: ShopRecord[];
  rejected: RejectedRecord[];
}

export interface ChildCounts {
  fetched: number;
  repaired: number;
  changed: number;
  /** Rows marked deleted because their order no longer lists them. */
  deleted: number;
  setAside: number;
}

/**
 * The children of the orders a page names (order_details, order_cart_rules): they carry no date, so each is read
 * through its order, every page of them by keyset on id with filter[id_order]=[a|b|...] in batches of order ids.
 * A page of orders names its own ids; a page of credit slips names the orders they refund.
 */
export async function fetchChildren(run: SyncRun, records: readonly ShopRecord[]): Promise<ChildRows[]> {
  const { streams, orderIdField } = run.info.children;
  if (streams.length === 0) return [];
  const parentIds = [...new Set(records.flatMap((r) => wholeId(r[orderIdField])))].sort((a, b) => a - b);
  if (parentIds.length === 0) return [];
  const out: ChildRows[] = [];
  for (const name of streams) {
    const rows: ChildRows = { name, parentIds, records: [], rejected: [] };
    for (let start = 0; start < parentIds.length; start += PARENTS_PER_REQUEST) {
      const batch = parentIds.slice(start, start + PARENTS_PER_REQUEST);
      const listing = run.deps.api.keysetPages({
        resource: STREAMS[name].resource,
        filters: { [STREAMS[name].parentKey]: anyOf(...batch) },
        afterId: 0,
        pageSize: Math.min(1000, run.deps.settings.pageSize * 5),
        display: 'full',
        signal: run.signal,
        gate: run.gate,
      });
      for await (const page of listing) {
        rows.records.push(...page.records);
        rows.rejected.push(...page.rejected);
      }
    }
    out.push(rows);
  }
  return out;
}

/**
 * Writes the children inside the page's transaction: upserts (a row the database refuses is set aside, as for any
 * stream), and marks deleted the rows of these parents the shop no longer lists. Rows set aside are not marked: they
 * still exist, they just could not be stored.
 */
export async function writeChildren(client: PoolClient, run: SyncRun, children: readonly ChildRows[]): Promise<Map<ChildStreamName, ChildCounts>> {
  const counts = new Map<ChildStreamName, ChildCounts>();
  for (const child of children) {
    const stream = STREAMS[child.name];
    const written = await writeBisecting(client, stream, child.records, run.runId);
    const setAside = [...child.rejected, ...written.refused];
    await quarantineRecords(client, stream, setAside, run.runId);
    const present = [...child.records.map((r) => r.id), ...setAside.flatMap((r) => (r.id === null ? [] : [r.id]))];
    const gone = await client.query(
      `update ${stream.table} r set deleted_at = now(), last_run_id = $3
       where r.parent_id = any($1::bigint[]) and r.deleted_at is null and not (r.id = any($2::bigint[]))`,
      [child.parentIds.map(String), present.map(String), run.runId],
    );
    counts.set(child.name, { fetched: child.records.length, repaired: written.repaired.length, changed: written.changed + (gone.rowCount ?? 0), deleted: gone.rowCount ?? 0, setAside: setAside.length });
  }
  return counts;
}

function wholeId(value: unknown): number[] {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? [n] : [];
}
