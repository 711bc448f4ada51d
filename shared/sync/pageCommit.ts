import type { Page, ShopLocalTime } from '../prestashop/api';
import { writeChildren, type ChildCounts, type ChildRows } from './children';
import type { ChildStreamName } from './entities';
import { Dimension, Metric } from '../telemetry/names';
import { writePage } from './pageWriter';
import { reportQuarantined } from './quarantine';
import type { SyncRun } from './syncRun';
import { completeWindow, saveCheckpoint, type OpenRange } from './watermarks';

/**
 * Commits one page of a window with what it means for the window: the ranges still open as the checkpoint, or, when
 * it closes the last range, the watermark moved to hi. Counts are taken only once committed, so a failed run
 * reports what it really stored.
 */
export async function commitPage(
  run: SyncRun,
  page: Page,
  window: { lo: ShopLocalTime; hi: ShopLocalTime },
  next: { ranges: OpenRange[]; completesWindow: boolean },
  children: readonly ChildRows[] = [],
): Promise<void> {
  const { client, info, runId } = run;
  const started = performance.now();
  const begin = await pageBegin(run);
  let childCounts = new Map<ChildStreamName, ChildCounts>();
  const written = await writePage(
    client,
    info,
    page,
    runId,
    async () => {
      childCounts = await writeChildren(client, run, children);
      if (next.completesWindow) await completeWindow(client, info.entity, window.hi);
      else await saveCheckpoint(client, info.entity, { lo: window.lo, hi: window.hi, ranges: next.ranges, runId });
    },
    begin,
  );
  run.timings.dbMs += performance.now() - started;
  if (next.completesWindow) run.watermarkAfter = window.hi;

  const setAside = [...page.rejected, ...written.refused];
  const counts = run.counts;
  counts.pages++;
  counts.rowsFetched += page.records.length;
  counts.rowsChanged += written.changed;
  counts.rowsUnchanged += written.unchanged;
  counts.rowsQuarantined += setAside.length;
  counts.rowsRepaired += written.repaired.length;
  run.recordsRead += page.records.length + page.rejected.length;
  if (written.newlySetAside > 0) {
    run.newlySetAside += written.newlySetAside;
    run.firstReject ??= setAside[0]?.reason;
    if (page.records.length === written.refused.length) run.fullyRejectedPages++;
  }
  for (const repair of written.repaired) {
    run.log.warn('record text repaired: a NUL or half an emoji became U+FFFD', { recordId: repair.id, fields: repair.fields.join(', ') });
  }
  if (written.repaired.length > 0) run.deps.telemetry.metric(Metric.syncRowsRepaired, written.repaired.length, { [Dimension.entity]: info.entity });
  reportQuarantined(run.deps.telemetry, run.log, info, setAside);
  for (const [name, c] of childCounts) {
    const total = (run.children[name] ??= { fetched: 0, changed: 0, deleted: 0, setAside: 0, repaired: 0 });
    total.fetched += c.fetched;
    total.changed += c.changed;
    total.deleted += c.deleted;
    total.setAside += c.setAside;
    total.repaired += c.repaired;
    counts.rowsRepaired += c.repaired;
  }
  run.options.onProgress?.({
    entity: info.entity,
    runId,
    pages: counts.pages,
    lastId: page.lastId,
    rowsFetched: counts.rowsFetched,
    rowsChanged: counts.rowsChanged,
    windowLo: window.lo,
    windowHi: window.hi,
  });
}

/**
 * A page's transaction: BEGIN and its settings in one round trip.
 * - synchronous_commit off: safe, the page and its checkpoint are lost or kept together, and any later synchronous
 *   commit (the run ledger, the analytics refresh) flushes them first. Saves one fsync per page.
 * - lz4 TOAST compression when the server has it (pglz otherwise): an order payload is just over the TOAST
 *   threshold and is stored twice (raw and history), so compression is a large share of a page's cost
 *   (docs/benchmarks.md). Reads are unaffected: each stored value records its own method.
 */
async function pageBegin(run: SyncRun): Promise<string> {
  if (run.pageBegin === undefined) {
    const { rows } = await run.client.query<{ lz4: boolean }>(
      `select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    run.pageBegin = `begin; set local synchronous_commit = off${rows[0]?.lz4 ? '; set local default_toast_compression = lz4' : ''}`;
  }
  return run.pageBegin;
}
