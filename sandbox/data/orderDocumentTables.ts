import { LazyTable, type LazySource } from '../lazyTable';
import type { Filter } from '../query/parse';
import type { AssociationItem, Row } from '../record';
import { ORDER_DOC_RESOURCES, type OrderDocName } from '../resourcesOrderDocs';
import type { Table } from '../table';
import { parseNaive } from '../time';
import { DAY, type GenContext } from './context';
import { cartRuleRow, detailRow, historyRow, paymentRow, slipRow } from './orderDocumentRows';
import type { OrderDocs, OrderDocsCache } from './orderDocuments';
import { ORDER_LINE_SLOTS, orderBaseDates } from './orders';

/**
 * Ids of the generated documents are slots per order: order o owns ids (o − 1) × slots + 1 ... o × slots (order
 * details use the order_rows ids). Records added later take the next id after every slot, as an AUTO_INCREMENT
 * would. Lists filtered by id_order, or by a date window, read only the orders concerned.
 */
export const DOCUMENT_SLOTS = { order_histories: 8, order_payments: 2, order_slip: 2, order_cart_rules: 1 } as const;

export interface DocumentDeps {
  ctx: GenContext;
  orders: Table;
  docs: OrderDocsCache;
}

const ownerOf = (id: number, slots: number): number => Math.floor((id - 1) / slots) + 1;

/** Lists reading more orders than this scan every id instead. */
const MAX_NARROWED_ORDERS = 250_000;

function slotIds(orders: readonly number[] | null, slots: number): number[] | null {
  if (orders === null || orders.length > MAX_NARROWED_ORDERS) return null;
  const out: number[] = [];
  for (const o of orders) for (let slot = 1; slot <= slots; slot += 1) out.push((o - 1) * slots + slot);
  return out;
}

/** The orders an id_order filter names ([a|b], [a], [lo,hi], >[n], <[n]); null when there is none. */
function ordersNamed(filters: readonly Filter[], maxOrder: number): number[] | null {
  const filter = filters.find((f) => f.field === 'id_order');
  if (!filter) return null;
  const op = filter.op;
  const whole = (text: string): number => Math.floor(Number.parseFloat(text));
  let lo = 1;
  let hi = maxOrder;
  if (op.op === 'eq') return [...new Set(op.values.map(whole))].filter((o) => o >= 1 && o <= maxOrder).sort((a, b) => a - b);
  if (op.op === 'between') [lo, hi] = [Math.max(1, whole(op.lo)), Math.min(maxOrder, whole(op.hi))];
  else if (op.op === 'gt') lo = Math.max(1, whole(op.value) + 1);
  else if (op.op === 'lt') hi = Math.min(maxOrder, Math.ceil(Number.parseFloat(op.value)) - 1);
  else return null;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  if (hi - lo + 1 > MAX_NARROWED_ORDERS) return null;
  return hi < lo ? [] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/**
 * The generated orders whose documents can fall inside a date filter: a document is dated between its order's
 * date_add and `afterUpdDays` after its order's date_upd (generated orders are placed in id order, and an order's
 * date_upd only moves forward, so the typed arrays of the orders table say it without building anything).
 */
function ordersInWindow(ctx: GenContext, orders: Table, filters: readonly Filter[], fields: readonly string[], afterUpdDays: number): number[] | null {
  const filter = filters.find((f) => fields.includes(f.field));
  if (!filter) return null;
  const op = filter.op;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  if (op.op === 'between') [lo, hi] = [parseNaive(op.lo), parseNaive(op.hi)];
  else if (op.op === 'gt') lo = parseNaive(op.value);
  else if (op.op === 'lt') hi = parseNaive(op.value);
  else if (op.op === 'eq') [lo, hi] = [Math.min(...op.values.map(parseNaive)), Math.max(...op.values.map(parseNaive))];
  else return null;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return [];
  const n = ctx.sizes.orders;
  // The last order placed by `hi` (a DST fall-back repeats an hour: margin).
  let a = 1;
  let b = n + 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (orderBaseDates(ctx, mid).add <= hi + 7200) a = mid + 1;
    else b = mid;
  }
  const from = lo - afterUpdDays * DAY;
  const out: number[] = [];
  for (let o = 1; o < a; o += 1) {
    if (orders.dateUpdOf(o) < from) continue;
    out.push(o);
    if (out.length > MAX_NARROWED_ORDERS) return null;
  }
  return out;
}

interface PerOrder<T> {
  slots: number;
  list: (docs: OrderDocs) => readonly T[];
  row: (id: number, orderId: number, docs: OrderDocs, item: T) => Row;
  date: (item: T) => number;
  /** The date fields lists may filter on, and how many days after its order's date_upd a document may be dated. */
  dateFields: readonly string[];
  afterUpdDays: number;
  /** date_upd is date_add (credit slips); otherwise the resource has no date_upd. */
  updIsAdd: boolean;
}

function perOrderSource<T>(deps: DocumentDeps, spec: PerOrder<T>): LazySource {
  const { ctx, docs } = deps;
  const base = ctx.sizes.orders;
  const slot = (id: number): { o: number; d: OrderDocs; item: T } | undefined => {
    const o = ownerOf(id, spec.slots);
    if (o > base) return undefined;
    const d = docs.get(o);
    const item = spec.list(d)[(id - 1) % spec.slots];
    return item === undefined ? undefined : { o, d, item };
  };
  return {
    baseMaxId: () => base * spec.slots,
    baseHas: (id) => slot(id) !== undefined,
    baseRecord: (id) => {
      const s = slot(id)!;
      return spec.row(id, s.o, s.d, s.item);
    },
    baseDates: (id) => {
      const at = spec.date(slot(id)!.item);
      return { add: at, upd: spec.updIsAdd ? at : 0 };
    },
    baseCandidates: (filters) =>
      slotIds(ordersNamed(filters, base) ?? ordersInWindow(ctx, deps.orders, filters, spec.dateFields, spec.afterUpdDays), spec.slots),
  };
}

/** order_details: the lines of the order as it is now (a removed line takes its detail with it). */
function detailSource(deps: DocumentDeps): LazySource {
  const { ctx, orders, docs } = deps;
  const base = ctx.sizes.orders;
  const generated = (o: number): boolean => o <= base && !orders.isChanged(o);
  const itemOf = (order: Row | undefined, id: number): AssociationItem | undefined => order?.associations?.order_rows?.find((r) => Number(r.id) === id);
  return {
    baseMaxId: () => orders.maxId * ORDER_LINE_SLOTS,
    baseHas: (id) => {
      const o = ownerOf(id, ORDER_LINE_SLOTS);
      return generated(o) ? docs.get(o).lines.has(id) : itemOf(orders.current(o), id) !== undefined;
    },
    baseRecord: (id) => {
      const o = ownerOf(id, ORDER_LINE_SLOTS);
      const order = generated(o) ? docs.get(o).order() : orders.current(o);
      const item = itemOf(order, id);
      if (!order || !item) throw new Error(`order_details ${id} does not exist`);
      return detailRow(ctx, order, item, o <= base ? docs.get(o).refunds.get(id) : undefined);
    },
    baseDates: () => ({ add: 0, upd: 0 }),
    baseCandidates: (filters) => slotIds(ordersNamed(filters, orders.maxId), ORDER_LINE_SLOTS),
    existenceFromBase: true,
  };
}


export function orderDocumentTables(deps: DocumentDeps): Record<OrderDocName, LazyTable> {
  const R = ORDER_DOC_RESOURCES;
  return {
    order_details: new LazyTable(R.order_details, detailSource(deps)),
    order_histories: new LazyTable(
      R.order_histories,
      perOrderSource(deps, {
        slots: DOCUMENT_SLOTS.order_histories,
        list: (d) => d.histories,
        row: (id, o, _d, h) => historyRow(id, o, h),
        date: (h) => h.at,
        dateFields: ['date_add'],
        afterUpdDays: 0,
        updIsAdd: false,
      }),
    ),
    order_payments: new LazyTable(
      R.order_payments,
      perOrderSource(deps, {
        slots: DOCUMENT_SLOTS.order_payments,
        list: (d) => d.payments,
        row: (id, _o, d, p) => paymentRow(deps.ctx.seed, id, d.reference(), p),
        date: (p) => p.at,
        dateFields: ['date_add'],
        afterUpdDays: 0,
        updIsAdd: false,
      }),
    ),
    order_slip: new LazyTable(
      R.order_slip,
      perOrderSource(deps, {
        slots: DOCUMENT_SLOTS.order_slip,
        list: (d) => d.slips,
        row: (id, _o, d, s) => slipRow(id, d.order(), s),
        date: (s) => s.at,
        dateFields: ['date_add', 'date_upd'],
        afterUpdDays: 33,
        updIsAdd: true,
      }),
    ),
    order_cart_rules: new LazyTable(
      R.order_cart_rules,
      perOrderSource(deps, {
        slots: DOCUMENT_SLOTS.order_cart_rules,
        list: (d) => (d.cartRule ? [d.cartRule] : []),
        row: (id, _o, d, kind) => cartRuleRow(id, d.order(), kind),
        date: () => 0,
        dateFields: [],
        afterUpdDays: 0,
        updIsAdd: false,
      }),
    ),
  };
}
