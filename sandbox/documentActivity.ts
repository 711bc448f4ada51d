import { setCombinationPrice, setStock } from './catalogMutations';
import { refund, removeOrderLine, rowsOfOrder } from './orderMutations';
import type { Rng } from './random';
import type { Row } from './record';
import type { Shop } from './shop';

/** Activity on the order documents and the catalog, on top of ActivityCounts (same seed, spread the same way). */
export interface DocumentActivityCounts {
  /** Partial refunds of one item of a paid order (a credit slip; the order itself is not touched). */
  refunds?: number;
  /** Lines removed from orders that have several (the order's date_upd moves). */
  removedLines?: number;
  /** New stock quantities for a product or one of its combinations (the product's date_upd does not move). */
  stockChanges?: number;
  /** New prices for combinations (the product's date_upd does not move). */
  priceChanges?: number;
}

export interface DocumentActivitySummary {
  refunds: number[];
  removedLines: number[];
  stockChanges: number[];
  priceChanges: number[];
}

function pickId(rng: Rng, maxId: number, accept: (id: number) => boolean): number | undefined {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const id = rng.int(1, Math.max(1, maxId));
    if (accept(id)) return id;
  }
  return undefined;
}

const PRICES = ['0.000000', '1.000000', '2.500000', '5.000000', '-1.000000'] as const;

/**
 * Deterministic: the choices come from `rng`, the times from `when` (all at the clock, or spread). A refund or a
 * removal only touches an order placed (refund) or last changed (removal) before its time.
 */
export function documentActivity(shop: Shop, counts: DocumentActivityCounts, rng: Rng, when: (count: number | undefined) => string[]): DocumentActivitySummary {
  const summary: DocumentActivitySummary = { refunds: [], removedLines: [], stockChanges: [], priceChanges: [] };
  const orders = shop.table('orders');
  const details = shop.table('order_details');
  const refundable = (line: Row): boolean => Number(line.product_quantity) > Number(line.product_quantity_refunded);
  for (const at of when(counts.refunds)) {
    const id = pickId(rng, orders.maxId, (o) => {
      const order = orders.get(o);
      return order !== undefined && String(order.date_add) <= at && Number(order.total_paid_real) > 0 && rowsOfOrder(details, o).some(refundable);
    });
    if (id === undefined) break;
    const line = rng.pick(rowsOfOrder(details, id).filter(refundable));
    summary.refunds.push(refund(shop, id, [{ detailId: line.id, quantity: 1 }], false, at));
  }
  for (const at of when(counts.removedLines)) {
    const id = pickId(rng, orders.maxId, (o) => {
      const order = orders.get(o);
      const lines = rowsOfOrder(details, o);
      return order !== undefined && String(order.date_upd) <= at && lines.length > 1 && lines.every((l) => Number(l.product_quantity_refunded) === 0);
    });
    if (id === undefined) break;
    const line = rng.pick(rowsOfOrder(details, id));
    removeOrderLine(shop, id, line.id, at);
    summary.removedLines.push(line.id);
  }
  const products = shop.table('products');
  for (let n = 0; n < (counts.stockChanges ?? 0); n += 1) {
    const id = pickId(rng, products.maxId, (p) => products.has(p));
    if (id === undefined) break;
    const entries = products.get(id)?.associations?.stock_availables ?? [];
    // A product with combinations holds their sum: change one of them.
    const own = entries.filter((e) => e.id_product_attribute !== '0');
    const entry = rng.pick(own.length > 0 ? own : [{ id_product_attribute: '0' }]);
    summary.stockChanges.push(setStock(shop, id, Number(entry.id_product_attribute), rng.int(0, 300)));
  }
  const combinations = shop.table('combinations');
  for (let n = 0; n < (counts.priceChanges ?? 0); n += 1) {
    const id = pickId(rng, combinations.maxId, (c) => combinations.has(c));
    if (id === undefined) break;
    setCombinationPrice(shop, id, rng.pick(PRICES));
    summary.priceChanges.push(id);
  }
  return summary;
}
