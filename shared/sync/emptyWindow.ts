import type { ShopLocalTime } from '../prestashop/api';
import { compareShopLocal } from '../prestashop/shopTime';
import type { SyncRun } from './syncRun';

export type EmptyWindowVerdict =
  /** Nothing changed in the window: the watermark may move to hi. */
  | 'trusted'
  /** The shop's newest change is after hi and its date filter is not shown to work: the watermark stays. */
  | 'held'
  /** The shop holds a change inside the window it just answered empty for: the run is partial. */
  | 'contradicted';

/**
 * A fresh window that came back empty (docs/architecture.md, "An empty window"). A swallowed SQL error answers 200
 * with an empty list, so the answer is checked against the shop's newest change (an unfiltered probe):
 * - older than lo, or no record at all: nothing changed;
 * - inside [lo, hi]: the shop contradicts its own empty answer;
 * - after hi (a change inside the lag, usual on a quiet shop): the window widened to that change must return it, which
 *   shows the date filter works; then the empty answer is trusted, else the watermark is held (never moved over
 *   rows the shop has and did not send). Both are normal, succeeded runs.
 */
export async function judgeEmptyWindow(run: SyncRun, lo: ShopLocalTime, hi: ShopLocalTime): Promise<EmptyWindowVerdict> {
  const { api } = run.deps;
  const field = run.info.dateField;
  const call = { signal: run.signal, gate: run.gate };
  const newest = await api.newestChange(run.info.resource, field, call);
  run.details.newest = newest;
  if (newest === null || compareShopLocal(newest.date, lo) < 0) return 'trusted';
  if (compareShopLocal(newest.date, hi) <= 0) {
    run.reason =
      `the window [${lo}, ${hi}] came back empty although the shop's newest ${field} ${newest.date} (id ${newest.id}) is inside it: ` +
      'the watermark stays (the shop likely answered an SQL error with an empty list)';
    run.log.warn('empty window contradicted by the shop', { lo, hi, newest: newest.date, newestId: newest.id });
    return 'contradicted';
  }
  const oldest = await api.oldestChangeBetween(run.info.resource, { field, lo, hi: newest.date }, call);
  if (oldest !== null && compareShopLocal(oldest.date, hi) <= 0) {
    run.reason =
      `the window [${lo}, ${hi}] came back empty, yet the widened window returns id ${oldest.id} changed at ${oldest.date}: ` +
      'the watermark stays until the shop answers consistently';
    run.log.warn('empty window contradicted by the widened window', { lo, hi, oldest: oldest.date, oldestId: oldest.id });
    return 'contradicted';
  }
  if (oldest === null) {
    run.details.emptyWindow = `held: the shop's newest change (${newest.date}, id ${newest.id}) is after hi, and the widened window [${lo}, ${newest.date}] did not return it`;
    run.log.info('empty window: watermark held', { lo, hi, newest: newest.date });
    return 'held';
  }
  run.details.emptyWindow = `trusted: the widened window returned id ${oldest.id} changed at ${oldest.date}, after hi`;
  return 'trusted';
}
