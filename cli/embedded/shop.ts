import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { core, type RunningSandbox, type SandboxActivity } from '../core';

export interface DemoShopSize {
  customers: number;
  products: number;
  orders: number;
}

/** Small enough that the first run takes well under a minute; big enough to make the KPIs worth reading. */
export const DEFAULT_DEMO_SIZE: DemoShopSize = { customers: 300, products: 60, orders: 2000 };
export const DEMO_SEED = 20241;

/** What happens in the shop between two runs of the demo, so the second run has something to load. */
export const DEMO_ACTIVITY: SandboxActivity = { newCustomers: 6, newOrders: 40, updatedOrders: 15, statusChanges: 10, softDeletes: 1 };

export interface DemoShop {
  sandbox: RunningSandbox;
  firstRun: boolean;
  activity: SandboxActivity | null;
  /** Saves the shop for the next run; call once the run is over. */
  save(): void;
}

/**
 * The sandbox shop of the demo, kept in `<home>/sandbox-state.json`: created from a seed on the first run, then
 * reloaded and given a little new activity on each later run, so the next sync has real changes to load.
 */
export async function startDemoShop(home: string, run: number, size: DemoShopSize): Promise<DemoShop> {
  const stateFile = path.join(home, 'sandbox-state.json');
  const firstRun = !existsSync(stateFile);
  const sandbox = await core('sandbox').startSandbox({
    seed: DEMO_SEED,
    ...size,
    apiKey: randomBytes(16).toString('hex').toUpperCase(),
  });
  try {
    let activity: SandboxActivity | null = null;
    if (!firstRun) {
      await sandbox.control.loadState(stateFile);
      activity = DEMO_ACTIVITY;
      await sandbox.control.simulateActivity(activity, DEMO_SEED + run);
    }
    return { sandbox, firstRun, activity, save: () => void sandbox.control.saveState(stateFile) };
  } catch (error) {
    await sandbox.close();
    throw new Error(`The sandbox shop could not load ${stateFile}; delete it to start the demo shop afresh`, { cause: error });
  }
}
