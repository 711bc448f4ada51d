import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type ActivityCounts, type DocumentActivityCounts, type Sandbox } from '../../sandbox';

export interface DemoShopSize {
  customers: number;
  products: number;
  orders: number;
}

/** Small enough that the first run takes well under a minute; big enough to make the KPIs worth reading. */
export const DEFAULT_DEMO_SIZE: DemoShopSize = { customers: 300, products: 60, orders: 2000 };
export const DEMO_SEED = 20241;
const DEMO_TIME_ZONE = 'Europe/Paris';

type ActivityKind = Exclude<keyof ActivityCounts, 'spreadSince'> | keyof DocumentActivityCounts;

/** What happens in the shop between two runs of the demo, so the second run has something to load. */
export const DEMO_ACTIVITY: Record<ActivityKind, number> = {
  newCustomers: 6,
  newOrders: 40,
  updatedOrders: 15,
  statusChanges: 10,
  softDeletes: 1,
  refunds: 3,
  removedLines: 1,
  stockChanges: 8,
  priceChanges: 2,
};

/** The sizes the saved demo shop was generated with (later runs must rebuild the same shop), or undefined. */
export function savedShopSize(home: string): DemoShopSize | undefined {
  const file = path.join(home, 'sandbox-state.json');
  if (!existsSync(file)) return undefined;
  try {
    const sizes = (JSON.parse(readFileSync(file, 'utf8')) as { sizes?: Partial<DemoShopSize> }).sizes;
    const { customers, products, orders } = sizes ?? {};
    return customers !== undefined && products !== undefined && orders !== undefined ? { customers, products, orders } : undefined;
  } catch {
    return undefined; // unreadable: startDemoShop reports it with the way out
  }
}

export interface DemoShop {
  sandbox: Sandbox;
  firstRun: boolean;
  /** The sizes the shop was generated with. */
  size: DemoShopSize;
  /** What simulateActivity did before this run (null on the first run): counts per kind. */
  activity: Record<ActivityKind, number> | null;
  /** Records the shop holds now, per entity: fewer than generated, since the generator deletes some as shops do. */
  inShop: DemoShopSize;
  /** Saves the shop for the next run; call once the run is over. Returns the shop clock (epoch seconds). */
  save(): number;
}

/**
 * The sandbox shop of the demo, kept in `<home>/sandbox-state.json`: generated from a seed on the first run, then
 * rebuilt from the saved state and given a little new activity on each later run, so the next sync has real changes.
 *
 * The shop clock never goes backwards between runs, and once the shop is ready it moves on by the sync lag (plus a
 * few seconds): a sync window ends `lag` before the shop clock, so without this the activity just stamped would wait
 * for the next run. That is the shop's time passing, not a shortcut in the sync.
 */
export async function startDemoShop(
  home: string,
  options: { run: number; size: DemoShopSize; lagSeconds: number; lastShopClock?: number },
): Promise<DemoShop> {
  const stateFile = path.join(home, 'sandbox-state.json');
  const firstRun = !existsSync(stateFile);
  const realNow = Math.floor(Date.now() / 1000);
  const sandbox = await startSandbox({
    seed: DEMO_SEED,
    ...options.size,
    timeZone: DEMO_TIME_ZONE,
    languages: 2,
    clock: { epochSeconds: Math.max(realNow, (options.lastShopClock ?? 0) + 1) },
    apiKey: randomBytes(16).toString('hex').toUpperCase(),
  });
  try {
    let activity: DemoShop['activity'] = null;
    if (!firstRun) {
      sandbox.control.loadState(stateFile);
      // Spread over the time since the last run ended, as an open shop would have had it, not all at this minute.
      const since = options.lastShopClock ? { spreadSince: options.lastShopClock } : {};
      const summary = sandbox.control.simulateActivity({ ...DEMO_ACTIVITY, ...since }, DEMO_SEED + options.run);
      activity = Object.fromEntries(
        (Object.keys(DEMO_ACTIVITY) as ActivityKind[]).map((kind) => [kind, summary[kind].length]),
      ) as Record<ActivityKind, number>;
    }
    sandbox.control.advance(options.lagSeconds + 5);
    return {
      sandbox,
      firstRun,
      size: options.size,
      activity,
      inShop: {
        customers: sandbox.control.count('customers'),
        products: sandbox.control.count('products'),
        orders: sandbox.control.count('orders'),
      },
      save: () => {
        sandbox.control.saveState(stateFile);
        return sandbox.control.now();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw new Error(`The sandbox shop could not load ${stateFile}; delete it (or the whole ${home} folder) to start the demo shop afresh`, {
      cause: error,
    });
  }
}
