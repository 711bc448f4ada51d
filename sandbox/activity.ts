import { documentActivity, type DocumentActivityCounts } from './documentActivity';
import { Rng, Stream } from './random';
import { addRecord, updateRecord } from './mutate';
import type { Row } from './record';
import type { Shop } from './shop';
import { parseNaive } from './time';

export interface ActivityCounts {
  newCustomers?: number;
  newOrders?: number;
  updatedOrders?: number;
  statusChanges?: number;
  softDeletes?: number;
  /**
   * Epoch seconds: spread the activity over the time between this instant and the clock, as a shop open all that
   * time would have had it (the demo passes the end of its last run). Without it, everything is stamped at the clock.
   */
  spreadSince?: number;
}

export interface ActivitySummary {
  newCustomers: number[];
  newOrders: number[];
  updatedOrders: number[];
  statusChanges: number[];
  softDeletes: number[];
  /** Ids of the new credit slips (order_slip). */
  refunds: number[];
  /** Ids of the order_details removed with their line. */
  removedLines: number[];
  /** Ids of the stock_availables rows given a new quantity. */
  stockChanges: number[];
  /** Ids of the combinations given a new price. */
  priceChanges: number[];
}

/** The usual next state of an order in the back office; undefined for final states. */
const NEXT_STATE: Readonly<Record<number, number>> = { 1: 2, 10: 2, 2: 3, 3: 4, 4: 5, 9: 3, 11: 3, 12: 9 };

/** Keeps the times of the activity apart from the choices, so spreading them changes no choice. */
const TIMING = 1;

function randomId(rng: Rng, maxId: number, accept: (id: number) => boolean): number | undefined {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const id = rng.int(1, Math.max(1, maxId));
    if (accept(id)) return id;
  }
  return undefined;
}

/**
 * `count` shop-local times in ascending order: all `nowLocal` without a start, otherwise uniform over
 * (since, now], computed on instants and shown on the shop's wall clock (so never in a skipped DST hour).
 */
function times(shop: Shop, rng: Rng, count: number, nowLocal: string, since: number | undefined): string[] {
  if (since === undefined || count <= 0) return Array.from({ length: Math.max(0, count) }, () => nowLocal);
  const zone = shop.settings.zone;
  const naiveNow = parseNaive(nowLocal);
  const now = naiveNow - zone.offsetAt(naiveNow - zone.offsetAt(naiveNow));
  const from = Math.min(since, now);
  return Array.from({ length: count }, () => from + rng.next() * (now - from))
    .sort((a, b) => a - b)
    .map((instant) => {
      const local = zone.format(Math.ceil(instant));
      return local > nowLocal ? nowLocal : local;
    });
}

/**
 * Deterministic shop activity, as customers and the back office would cause it: stamped at the current clock, or
 * spread since `counts.spreadSince`. Every record's dates only move forward: an order is placed after its new
 * customer registered, and an update or status change is stamped after the order's previous change.
 */
export function simulateActivity(shop: Shop, counts: ActivityCounts & DocumentActivityCounts, seed: number, nowLocal: string): ActivitySummary {
  const rng = new Rng(shop.settings.seed, Stream.activity, seed);
  const clock = new Rng(shop.settings.seed, Stream.activity, seed, TIMING);
  const when = (count: number | undefined): string[] => times(shop, clock, count ?? 0, nowLocal, counts.spreadSince);
  const summary: ActivitySummary = {
    newCustomers: [], newOrders: [], updatedOrders: [], statusChanges: [], softDeletes: [],
    refunds: [], removedLines: [], stockChanges: [], priceChanges: [],
  };
  const customers = shop.table('customers');
  const orders = shop.table('orders');
  const changedBy = (row: Row | undefined, at: string): boolean => typeof row?.date_upd === 'string' && row.date_upd <= at;

  for (const at of when(counts.newCustomers)) {
    summary.newCustomers.push(addRecord(shop, 'customers', { deleted: '0', active: '1' }, at));
  }
  const liveCustomer = (id: number, at: string): boolean => customers.get(id)?.deleted === '0' && changedBy(customers.get(id), at);
  for (const at of when(counts.newOrders)) {
    const fresh = summary.newCustomers.filter((id) => liveCustomer(id, at));
    const customer = fresh.length > 0 && rng.chance(0.5) ? rng.pick(fresh) : randomId(rng, customers.maxId, (id) => liveCustomer(id, at));
    if (customer === undefined) break;
    const state = rng.pick([10, 1, 2, 2, 2, 8]);
    summary.newOrders.push(addRecord(shop, 'orders', { id_customer: String(customer), current_state: String(state) }, at));
  }
  for (const at of when(counts.updatedOrders)) {
    const id = randomId(rng, orders.maxId, (candidate) => orders.has(candidate) && changedBy(orders.get(candidate), at));
    if (id === undefined) break;
    updateRecord(shop, 'orders', id, { note: `Customer called, ${at}` }, at);
    summary.updatedOrders.push(id);
  }
  for (const at of when(counts.statusChanges)) {
    const id = randomId(rng, orders.maxId, (candidate) => NEXT_STATE[Number(orders.get(candidate)?.current_state)] !== undefined && changedBy(orders.get(candidate), at));
    if (id === undefined) break;
    const current = Number(orders.get(id)?.current_state);
    const next = rng.chance(0.1) ? 6 : (NEXT_STATE[current] ?? 6);
    updateRecord(shop, 'orders', id, { current_state: String(next) }, at);
    summary.statusChanges.push(id);
  }
  for (const at of when(counts.softDeletes)) {
    const id = randomId(rng, customers.maxId, (id) => liveCustomer(id, at));
    if (id === undefined) break;
    updateRecord(shop, 'customers', id, { deleted: '1' }, at);
    summary.softDeletes.push(id);
  }
  // After every earlier kind, on streams of their own: the same counts of those kinds give the same changes.
  Object.assign(summary, documentActivity(shop, counts, new Rng(shop.settings.seed, Stream.activity, seed, 2), when));
  return summary;
}
