import type { Page, ShopLocalTime } from '../prestashop/api';
import { fetchChildren, type ChildRows } from './children';
import { judgeEmptyWindow } from './emptyWindow';
import { commitPage } from './pageCommit';
import { splitRange } from './rangePlan';
import type { SyncRun } from './syncRun';
import type { OpenRange } from './watermarks';

/** A window to read: fresh (ranges null) or resumed from a checkpoint's open ranges. */
export interface WindowPlan {
  lo: ShopLocalTime;
  hi: ShopLocalTime;
  ranges: OpenRange[] | null;
}

/** complete: the watermark moved to hi; held: the window was empty and the watermark stays; stopped: see run.stopReason. */
export type WindowOutcome = 'complete' | 'held' | 'contradicted' | 'stopped';

interface RangeState extends OpenRange {
  done: boolean;
}

/** A page with the children of its records (an order's details and cart rules), committed together. */
interface FetchedPage extends Page {
  children: ChildRows[];
}

/**
 * Reads one window (docs/architecture.md, "Extraction"): every id range by keyset, each page committed with the
 * window's open ranges as the checkpoint, the watermark moved to hi with the page that closes the last range.
 *
 * A fresh window starts as one range without an end. Its first page is read alone: an empty one goes to the
 * empty-window rule; a full one means the window is large, and with a concurrency above 1 the rest is split at the
 * window's highest id into ranges that workers read at once (the last range keeps no end, so nothing above the
 * probe is missed). At most `concurrency` requests are in flight (the run's politeness gate) and at most
 * `concurrency + 1` pages are held in memory, fetched or waiting for their commit; commits go one at a time on
 * the run's own connection, in the order the pages arrived.
 */
export async function readWindow(run: SyncRun, plan: WindowPlan): Promise<WindowOutcome> {
  const ranges: RangeState[] = (plan.ranges ?? [{ after: 0, upTo: null }]).map((r) => ({ ...r, done: false }));
  const window = { lo: plan.lo, hi: plan.hi };
  const commit = async (range: RangeState, page: FetchedPage): Promise<void> => {
    const after = ranges
      .filter((r) => !r.done && !(r === range && page.last))
      .map((r) => (r === range ? { after: page.lastId ?? r.after, upTo: r.upTo } : { after: r.after, upTo: r.upTo }));
    await commitPage(run, page, window, { ranges: after, completesWindow: after.length === 0 }, page.children);
    if (page.lastId !== null) range.after = page.lastId;
    if (page.last) range.done = true;
  };

  const single = ranges.length === 1 && ranges[0]?.upTo === null ? ranges[0] : undefined;
  if (single) {
    const first = await firstPage(run, window, single);
    if (first === null) return 'stopped';
    if (plan.ranges === null && first.last && first.records.length === 0 && first.rejected.length === 0) {
      const verdict = await judgeEmptyWindow(run, plan.lo, plan.hi);
      if (verdict !== 'trusted') return verdict;
    }
    await commit(single, first);
    if (first.last) return 'complete';
    if (run.shouldStop()) return 'stopped';
    if (run.concurrency > 1) await split(run, window, ranges, single);
  }
  await readRanges(run, window, ranges, commit);
  if (run.stopReason !== null) return 'stopped';
  return 'complete';
}

async function firstPage(run: SyncRun, window: { lo: ShopLocalTime; hi: ShopLocalTime }, range: RangeState): Promise<FetchedPage | null> {
  const pages = pagesOf(run, window, range)[Symbol.asyncIterator]();
  try {
    const next = await timedShop(run, pages.next());
    return next.done ? { records: [], rejected: [], lastId: null, last: true, children: [] } : await withChildren(run, next.value);
  } catch (error) {
    if (run.stopReason !== null) return null;
    throw error;
  } finally {
    await pages.return?.();
  }
}

/** The rest of a large window, split at its highest id into ranges for the workers. */
async function split(run: SyncRun, window: { lo: ShopLocalTime; hi: ShopLocalTime }, ranges: RangeState[], range: RangeState): Promise<void> {
  const highest = await run.deps.api.highestId({
    resource: run.info.resource,
    window: { field: run.info.dateField, ...window },
    afterId: range.after,
    signal: run.signal,
    gate: run.gate,
  });
  if (highest === null || highest <= range.after) return;
  const parts = splitRange(range.after, highest, run.concurrency);
  ranges.splice(ranges.indexOf(range), 1, ...parts.map((r) => ({ ...r, done: false })));
  run.details.ranges = parts.length;
}

async function withChildren(run: SyncRun, page: Page): Promise<FetchedPage> {
  return { ...page, children: await timedShop(run, fetchChildren(run, page.records)) };
}

function pagesOf(run: SyncRun, window: { lo: ShopLocalTime; hi: ShopLocalTime }, range: OpenRange): AsyncIterable<Page> {
  return run.deps.api.keysetPages({
    resource: run.info.resource,
    window: { field: run.info.dateField, ...window },
    afterId: range.after,
    ...(range.upTo !== null ? { upToId: range.upTo } : {}),
    pageSize: run.deps.settings.pageSize,
    display: 'full',
    signal: run.signal,
    gate: run.gate,
  });
}

/**
 * Workers take ranges in order and read each to its end. A page slot is taken before a page is asked for and given
 * back once it is committed, which bounds the pages alive to concurrency + 1. The first error stops the run (the
 * others' requests are aborted); pages already fetched when the time budget stops the run are still committed.
 */
async function readRanges(
  run: SyncRun,
  window: { lo: ShopLocalTime; hi: ShopLocalTime },
  ranges: RangeState[],
  commit: (range: RangeState, page: FetchedPage) => Promise<void>,
): Promise<void> {
  const queue = ranges.filter((r) => !r.done);
  const slots = new Slots(run.concurrency + 1);
  let commits: Promise<void> = Promise.resolve();
  const enqueue = (range: RangeState, page: FetchedPage): void => {
    commits = commits.then(async () => {
      try {
        if (run.stopReason === 'interrupted' || run.stopReason === 'error') return;
        await commit(range, page);
        run.shouldStop();
      } catch (error) {
        run.stop('error', error);
      } finally {
        slots.release();
      }
    });
  };

  async function worker(): Promise<void> {
    for (let range = queue.shift(); range && !run.shouldStop(); range = queue.shift()) {
      const pages = pagesOf(run, window, range)[Symbol.asyncIterator]();
      try {
        for (;;) {
          await slots.acquire();
          if (run.shouldStop()) {
            slots.release();
            return;
          }
          let page: FetchedPage;
          try {
            const next = await timedShop(run, pages.next());
            if (next.done) {
              slots.release();
              break;
            }
            page = await withChildren(run, next.value);
          } catch (error) {
            slots.release();
            throw error;
          }
          enqueue(range, page);
          if (page.last) break;
        }
      } finally {
        await pages.return?.().catch(() => undefined);
      }
    }
  }

  const workers = Array.from({ length: Math.min(run.concurrency, Math.max(1, queue.length)) }, () =>
    worker().catch((error: unknown) => {
      if (run.stopReason === null) run.stop('error', error);
    }),
  );
  await Promise.all(workers);
  await commits;
  if (run.stopReason === 'error') throw run.error;
}

async function timedShop<T>(run: SyncRun, work: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work;
  } finally {
    run.timings.shopWaitMs += performance.now() - started;
  }
}

/** A counting semaphore for page slots (no signal: a stopped run releases its slots as its workers leave). */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
