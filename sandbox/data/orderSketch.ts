import { roundToCents } from '../record';
import { hash32, Rng, Stream, unit } from '../random';
import { CARRIER_SHIPPING_CENTS, CURRENCIES, DEFAULT_CURRENCY_ID, ORDER_STATES, orderState, PAYMENTS, type OrderStateSeed } from './catalog';
import type { GenContext } from './context';
import { everPaid, statePath } from './orderPaths';
import { productPrice } from './products';
import { combinationId, productVariants } from './variants';

/**
 * Everything an order is made of, in numbers, without building its record: what the generator draws (customer,
 * currency, lines, carrier, voucher, payment method) and the money that follows. Cheap enough to walk the
 * documents of a month of a million-order shop; orderParts turns it into the record.
 */

const S = Stream.orders;

/** Weighted current states: mostly delivered/shipped/paid, some cancelled, payment errors and awaiting payment. */
const STATE_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [5, 40], [4, 14], [2, 12], [3, 5], [6, 8], [8, 4], [10, 6], [1, 4], [7, 3], [11, 2], [9, 1], [12, 1],
];

function weightedState(u: number): number {
  const total = STATE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  for (const [state, weight] of STATE_WEIGHTS) {
    acc += weight / total;
    if (u < acc) return state;
  }
  return 5;
}

/** Split checkouts: every 50th order shares cart, reference and customer with the previous order. */
export function cartOf(id: number): number {
  return id % 50 === 0 && id > 1 ? id - 1 : id;
}

function customerOf(ctx: GenContext, id: number): number {
  const c = Math.max(1, ctx.sizes.customers);
  const reach = Math.min(c, Math.max(1, Math.floor((c * id) / Math.max(1, ctx.sizes.orders))));
  return 1 + Math.floor(unit(ctx.seed, S, id, 4) * reach);
}

/** The currency drawn for an order of its own (the first draws of its sequence). */
function drawnCurrency(rng: Rng): number {
  return rng.chance(0.8) ? DEFAULT_CURRENCY_ID : rng.pick(CURRENCIES.filter((c) => c.id !== DEFAULT_CURRENCY_ID)).id;
}

export function currencyRate(currencyId: number): number {
  return CURRENCIES.find((c) => c.id === currencyId)?.rateMicros ?? 1_000_000;
}

/** Shipping with the carrier's 20 % tax, rounded to cents. */
export function shippingIncl(shippingExclMicros: number): number {
  return roundToCents(shippingExclMicros * 1.2);
}

/** Order rows (and so order_details) have ids (order − 1) × 5 + line + 1: at most five lines per order. */
export const ORDER_LINE_SLOTS = 5;

export interface OrderLine {
  productId: number;
  quantity: number;
  /** The combination bought (0: the product has none). */
  attributeId?: number;
}

export interface PricedLine {
  id: number;
  productId: number;
  attributeId: number;
  quantity: number;
  /** Unit prices in the order currency. */
  exclMicros: number;
  inclMicros: number;
}

export function priceLine(ctx: GenContext, orderId: number, index: number, line: OrderLine, rateMicros: number): PricedLine {
  const price = productPrice(ctx.seed, line.productId);
  const attributeId = line.attributeId ?? 0;
  const variant = attributeId > 0 ? productVariants(ctx.seed, ctx.sizes.products, line.productId).find((v) => combinationId(line.productId, v.slot) === attributeId) : undefined;
  const exclMicros = Math.round(((price.priceCents + (variant?.impactCents ?? 0)) * rateMicros) / 1e6) * 10_000;
  return {
    id: (orderId - 1) * ORDER_LINE_SLOTS + index + 1,
    productId: line.productId,
    attributeId: variant ? attributeId : 0,
    quantity: line.quantity,
    exclMicros,
    inclMicros: Math.round((exclMicros * (10_000 + price.taxRateBp)) / 10_000),
  };
}

export interface OrderAmounts {
  discountExcl: number;
  discountIncl: number;
  paidExcl: number;
  paidIncl: number;
  paidReal: number;
  productsExcl: number;
  productsIncl: number;
  shippingExcl: number;
  shippingIncl: number;
}

/** Totals = products + shipping − vouchers; a free-shipping voucher takes the shipping off again. */
export function orderAmounts(productsExcl: number, productsIncl: number, shippingExcl: number, discountShare: number, freeShipping: boolean, paid: boolean): OrderAmounts {
  const shipInc = shippingIncl(shippingExcl);
  const discountExcl = roundToCents(productsExcl * discountShare) + (freeShipping ? shippingExcl : 0);
  const discountIncl = roundToCents(productsIncl * discountShare) + (freeShipping ? shipInc : 0);
  const paidIncl = productsIncl + shipInc - discountIncl;
  return {
    discountExcl,
    discountIncl,
    paidExcl: productsExcl + shippingExcl - discountExcl,
    paidIncl,
    paidReal: paid ? paidIncl : 0,
    productsExcl,
    productsIncl,
    shippingExcl,
    shippingIncl: shipInc,
  };
}

export interface OrderOverrides {
  customerId?: number;
  state?: number;
}

export type DiscountKind = 'none' | 'percent' | 'freeShipping';

export interface OrderSketch {
  id: number;
  cart: number;
  customer: number;
  currency: number;
  rateMicros: number;
  state: OrderStateSeed;
  /** By id; `reversed`: the order_rows association lists them the other way round. */
  lines: PricedLine[];
  reversed: boolean;
  carrier: number;
  payment: (typeof PAYMENTS)[number];
  gift: boolean;
  note: string;
  discount: DiscountKind;
  discountShare: number;
  amounts: OrderAmounts;
  /** The states the order went through, ending at current_state. */
  path: number[];
}

/** A pure function of (seed, id, overrides). */
export function orderSketch(ctx: GenContext, id: number, overrides: OrderOverrides = {}): OrderSketch {
  const rng = new Rng(ctx.seed, S, id, 20);
  const cart = cartOf(id);
  const customer = overrides.customerId ?? customerOf(ctx, cart);
  const own = drawnCurrency(rng);
  // The orders of one split checkout share the cart's currency.
  const currency = cart === id ? own : drawnCurrency(new Rng(ctx.seed, S, cart, 20));
  const rateMicros = currencyRate(currency);
  const stateId = overrides.state ?? weightedState(unit(ctx.seed, S, id, 5));
  const state = orderState(stateId) ?? ORDER_STATES[0]!;
  const lineCount = rng.int(1, 5);
  const products = Math.max(1, ctx.sizes.products);
  const drawn: OrderLine[] = [];
  for (let k = 0; k < lineCount; k += 1) {
    const productId = rng.int(1, products);
    if (drawn.some((line) => line.productId === productId)) continue;
    const variants = productVariants(ctx.seed, ctx.sizes.products, productId);
    const variant = variants[hash32(ctx.seed, S, id, 40 + k) % Math.max(1, variants.length)];
    drawn.push({ productId, quantity: rng.chance(0.7) ? 1 : rng.int(2, 4), attributeId: variant ? combinationId(productId, variant.slot) : 0 });
  }
  const lines = drawn.map((line, index) => priceLine(ctx, id, index, line, rateMicros));
  // Association rows come from SQL without ORDER BY: not always by id.
  const reversed = rng.chance(0.3);
  const carrier = rng.int(1, 3);
  const productsExcl = roundToCents(lines.reduce((sum, l) => sum + l.exclMicros * l.quantity, 0));
  const productsIncl = roundToCents(lines.reduce((sum, l) => sum + l.inclMicros * l.quantity, 0));
  const freeCarrier = productsExcl >= 100_000_000;
  const shippingExcl = freeCarrier ? 0 : roundToCents(((CARRIER_SHIPPING_CENTS[carrier] ?? 0) * 10_000 * rateMicros) / 1e6);
  const discountShare = rng.chance(0.15) ? 0.1 : 0;
  const freeShipping = discountShare === 0 && shippingExcl > 0 && unit(ctx.seed, S, id, 11) < 0.08;
  const payment = state.module === 'ps_checkpayment' ? PAYMENTS[1] : state.module === 'ps_wirepayment' ? PAYMENTS[0] : rng.pick(PAYMENTS);
  const path = overrides.state !== undefined ? [stateId] : statePath(stateId, payment.module, unit(ctx.seed, S, id, 12) < 0.5);
  const gift = rng.chance(0.05);
  const note = rng.chance(0.05) ? 'Leave at door 2/B, code "1234"' : '';
  return {
    id,
    cart,
    customer,
    currency,
    rateMicros,
    state,
    lines,
    reversed,
    carrier,
    payment,
    gift,
    note,
    discount: discountShare > 0 ? 'percent' : freeShipping ? 'freeShipping' : 'none',
    discountShare,
    amounts: orderAmounts(productsExcl, productsIncl, shippingExcl, discountShare, freeShipping, everPaid(path)),
    path,
  };
}

/** The invoice time of a generated order (naive seconds), whether or not it has one. */
export function invoiceTime(ctx: GenContext, id: number, add: number, upd: number): number {
  return Math.min(add + 30 + (hash32(ctx.seed, S, id, 6) % 3600), upd);
}
