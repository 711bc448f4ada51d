import { Rng, Stream } from './random';
import { addRecord, updateRecord } from './mutate';
import type { Shop } from './shop';

export interface ActivityCounts {
  newCustomers?: number;
  newOrders?: number;
  updatedOrders?: number;
  statusChanges?: number;
  softDeletes?: number;
}

export interface ActivitySummary {
  newCustomers: number[];
  newOrders: number[];
  updatedOrders: number[];
  statusChanges: number[];
  softDeletes: number[];
}

/** The usual next state of an order in the back office; undefined for final states. */
const NEXT_STATE: Readonly<Record<number, number>> = { 1: 2, 10: 2, 2: 3, 3: 4, 4: 5, 9: 3, 11: 3, 12: 9 };

function randomId(rng: Rng, maxId: number, accept: (id: number) => boolean): number | undefined {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const id = rng.int(1, Math.max(1, maxId));
    if (accept(id)) return id;
  }
  return undefined;
}

/** Deterministic shop activity stamped at the current clock, as customers and the back office would cause. */
export function simulateActivity(shop: Shop, counts: ActivityCounts, seed: number, nowLocal: string): ActivitySummary {
  const rng = new Rng(shop.settings.seed, Stream.activity, seed);
  const summary: ActivitySummary = { newCustomers: [], newOrders: [], updatedOrders: [], statusChanges: [], softDeletes: [] };
  const customers = shop.table('customers');
  const orders = shop.table('orders');

  for (let i = 0; i < (counts.newCustomers ?? 0); i += 1) {
    summary.newCustomers.push(addRecord(shop, 'customers', { deleted: '0', active: '1' }, nowLocal));
  }
  const liveCustomer = (id: number): boolean => customers.get(id)?.deleted === '0';
  for (let i = 0; i < (counts.newOrders ?? 0); i += 1) {
    const fresh = summary.newCustomers;
    const customer =
      fresh.length > 0 && rng.chance(0.5) ? rng.pick(fresh) : randomId(rng, customers.maxId, liveCustomer);
    if (customer === undefined) break;
    const state = rng.pick([10, 1, 2, 2, 2, 8]);
    summary.newOrders.push(addRecord(shop, 'orders', { id_customer: String(customer), current_state: String(state) }, nowLocal));
  }
  for (let i = 0; i < (counts.updatedOrders ?? 0); i += 1) {
    const id = randomId(rng, orders.maxId, (candidate) => orders.has(candidate));
    if (id === undefined) break;
    updateRecord(shop, 'orders', id, { note: `Customer called, ${nowLocal}` }, nowLocal);
    summary.updatedOrders.push(id);
  }
  for (let i = 0; i < (counts.statusChanges ?? 0); i += 1) {
    const id = randomId(rng, orders.maxId, (candidate) => NEXT_STATE[Number(orders.get(candidate)?.current_state)] !== undefined);
    if (id === undefined) break;
    const current = Number(orders.get(id)?.current_state);
    const next = rng.chance(0.1) ? 6 : (NEXT_STATE[current] ?? 6);
    updateRecord(shop, 'orders', id, { current_state: String(next) }, nowLocal);
    summary.statusChanges.push(id);
  }
  for (let i = 0; i < (counts.softDeletes ?? 0); i += 1) {
    const id = randomId(rng, customers.maxId, liveCustomer);
    if (id === undefined) break;
    updateRecord(shop, 'customers', id, { deleted: '1' }, nowLocal);
    summary.softDeletes.push(id);
  }
  return summary;
}
