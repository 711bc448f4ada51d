import type { ShopLocalTime, ShopNow } from '../prestashop/api';
import { addSeconds, compareShopLocal, fallBackSecondsBetween, shopLocalToUtc, toShopLocal } from '../prestashop/shopTime';

export const EPOCH_LOCAL: ShopLocalTime = '1970-01-01 00:00:00';

export interface SyncWindow {
  lo: ShopLocalTime;
  hi: ShopLocalTime;
  /** Seconds added to the overlap because the wall clock fell back between the watermark and now. */
  fallBackSeconds: number;
}

/**
 * The closed window [lo, hi] of one run (docs/prestashop-webservice.md §11.2).
 * hi: the shop clock minus the lag, on the shop's wall clock.
 * lo: the watermark minus the overlap, widened by every wall-clock hour that repeated since the watermark (read as
 * its earliest possible instant, so the widening errs on the safe side). A full refresh starts at the epoch.
 * lo never exceeds hi (a run inside a repeated hour can have hi below the watermark).
 */
export function computeWindow(options: {
  now: ShopNow;
  watermark: ShopLocalTime;
  lagSeconds: number;
  overlapSeconds: number;
  fullRefresh?: boolean;
}): SyncWindow {
  const { now, watermark, lagSeconds, overlapSeconds } = options;
  const hi = toShopLocal(new Date(now.utc.getTime() - lagSeconds * 1000), now.timeZone);
  if (options.fullRefresh) return { lo: EPOCH_LOCAL, hi, fallBackSeconds: 0 };
  // From the epoch baseline lo is the epoch anyway; skip scanning fifty years of offsets.
  const fallBackSeconds =
    watermark === EPOCH_LOCAL ? 0 : fallBackSecondsBetween(shopLocalToUtc(watermark, now.timeZone, 'earlier'), now.utc, now.timeZone);
  let lo = addSeconds(watermark, -(overlapSeconds + fallBackSeconds));
  if (compareShopLocal(lo, EPOCH_LOCAL) < 0) lo = EPOCH_LOCAL;
  if (compareShopLocal(lo, hi) > 0) lo = hi;
  return { lo, hi, fallBackSeconds };
}
