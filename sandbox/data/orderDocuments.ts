import type { Row } from '../record';
import { roundToCents } from '../record';
import { hash32, Stream, unit } from '../random';
import { CURRENCIES, DEFAULT_CURRENCY_ID } from './catalog';
import { DAY, naiveAfter, naiveAlong, type GenContext } from './context';
import { everDelivered, everPaid, everShipped, firstPaidIndex } from './orderPaths';
import { orderBaseDates, orderFromSketch, orderReference } from './orders';
import { invoiceTime, orderSketch, type OrderSketch, type PricedLine } from './orderSketch';

/**
 * Everything PrestaShop keeps about a generated order besides the order itself, as a pure function of
 * (seed, order id): the states it went through (order_histories), its payments, credit slips and voucher, and what
 * the slips did to its lines. Built from the base order (the one the generator made), never from later changes:
 * those are kept as changed records of their own tables.
 */

const D = Stream.documents;

export interface HistoryDoc {
  state: number;
  /** Naive seconds. */
  at: number;
  employee: number;
}

export interface PaymentDoc {
  amountMicros: number;
  currencyId: number;
  rateMicros: number;
  method: string;
  at: number;
  employee: number;
  /** Transaction id and card details, written when the record is built (see paymentExtras). */
  extras: { order: number; kind: 'card' | 'check' | 'wire' | 'gift' } | { transactionId: string };
}

/** What a payment module writes besides the amount: a transaction id, sometimes the card's brand and number. */
export function paymentExtras(seed: number, extras: PaymentDoc['extras']): { transactionId: string; card: { brand: string; number: string; expiration: string } | null } {
  if ('transactionId' in extras) return { transactionId: extras.transactionId, card: null };
  const h = (slot: number): number => hash32(seed, D, extras.order, slot);
  switch (extras.kind) {
    case 'card':
      return {
        transactionId: h(3).toString(16).toUpperCase().padStart(8, '0') + h(4).toString(16).toUpperCase().padStart(8, '0').slice(0, 9),
        card: h(6) % 2 === 0 ? { brand: h(7) % 3 === 0 ? 'MASTERCARD' : 'VISA', number: `**** **** **** ${String(h(8) % 10_000).padStart(4, '0')}`, expiration: `${String(1 + (h(9) % 12)).padStart(2, '0')}/${28 + (h(10) % 4)}` } : null,
      };
    case 'check':
      return { transactionId: `CHQ ${String(h(5) % 1_000_000).padStart(7, '0')}`, card: null };
    case 'gift':
      return { transactionId: `GC-${String(h(11) % 100_000).padStart(5, '0')}`, card: null };
    case 'wire':
      return { transactionId: '', card: null };
  }
}

export interface SlipLineDoc {
  detailId: number;
  quantity: number;
  exclMicros: number;
  inclMicros: number;
}

export interface SlipDoc {
  at: number;
  lines: SlipLineDoc[];
  shippingExclMicros: number;
  shippingInclMicros: number;
  /** The order's percent voucher, deducted from a full refund (order_slip_type 1). */
  voucherExclMicros: number;
  voucherInclMicros: number;
}

/** What the slips did to one line. */
export interface LineRefund {
  quantity: number;
  exclMicros: number;
  inclMicros: number;
  returned: number;
  reinjected: number;
}

export interface OrderDocs {
  sketch: OrderSketch;
  /** The generated order record (built when first asked for). */
  order(): Row;
  reference(): string;
  /** The order's lines by id (order_details extend them). */
  lines: Map<number, PricedLine>;
  histories: HistoryDoc[];
  payments: PaymentDoc[];
  slips: SlipDoc[];
  /** The voucher used (order_cart_rules), if any. */
  cartRule: 'percent' | 'freeShipping' | null;
  refunds: Map<number, LineRefund>;
}

/** Dates of the path: the first state when the order was placed, the paid state at the invoice, the last at date_upd. */
function historyDates(ctx: GenContext, path: readonly number[], add: number, upd: number, invoiceAt: number): number[] {
  const dates = path.map(() => add);
  const paid = firstPaidIndex(path);
  let from = 0;
  if (paid >= 1) {
    dates[paid] = Math.min(Math.max(invoiceAt, add), upd);
    from = paid;
  }
  const rest = path.length - 1 - from;
  for (let step = 1; step <= rest; step += 1) dates[from + step] = naiveAlong(ctx, dates[from] ?? add, upd, step / rest);
  return dates;
}

/** A payment in another currency whose value converts back to exactly `totalMicros` in the order currency. */
function foreignAmount(totalMicros: number, orderRate: number, payRate: number): number | undefined {
  const guess = roundToCents((totalMicros * payRate) / orderRate);
  for (const delta of [0, 10_000, -10_000, 20_000, -20_000, 30_000, -30_000]) {
    const amount = guess + delta;
    if (amount > 0 && paymentValue(amount, payRate, orderRate) === totalMicros) return amount;
  }
  return undefined;
}

/** What a payment is worth in the order currency, rounded to cents: amount / payment rate × order rate. */
export function paymentValue(amountMicros: number, payRateMicros: number, orderRateMicros: number): number {
  return roundToCents((amountMicros * orderRateMicros) / payRateMicros);
}

function payments(ctx: GenContext, o: number, k: OrderSketch, paidAt: number, add: number): PaymentDoc[] {
  const total = k.amounts.paidReal;
  const rate = k.rateMicros;
  const card = k.payment.module === 'ps_checkout';
  const base: PaymentDoc = {
    amountMicros: total,
    currencyId: k.currency,
    rateMicros: rate,
    method: k.payment.payment,
    at: paidAt,
    employee: card ? 0 : 1,
    extras: { order: o, kind: card ? 'card' : k.payment.module === 'ps_checkpayment' ? 'check' : 'wire' },
  };
  const u = unit(ctx.seed, D, o, 1);
  if (u < 0.06 && total >= 20_000) {
    // Part paid by gift card first, the rest by the order's method.
    const first = Math.min(Math.max(roundToCents(total * (0.3 + 0.4 * unit(ctx.seed, D, o, 2))), 10_000), total - 10_000);
    const giftCard: PaymentDoc = { ...base, amountMicros: first, method: 'Gift card', at: naiveAlong(ctx, add, paidAt, 0.5), employee: 1, extras: { order: o, kind: 'gift' } };
    return [giftCard, { ...base, amountMicros: total - first }];
  }
  if (u < 0.12) {
    const other = CURRENCIES.find((c) => c.id === (k.currency === DEFAULT_CURRENCY_ID ? 2 : DEFAULT_CURRENCY_ID));
    const amount = other ? foreignAmount(total, rate, other.rateMicros) : undefined;
    if (other && amount !== undefined) return [{ ...base, amountMicros: amount, currencyId: other.id, rateMicros: other.rateMicros }];
  }
  return [base];
}

function slip(at: number, lines: SlipLineDoc[], shippingExcl = 0, shippingIncl = 0, voucherExcl = 0, voucherIncl = 0): SlipDoc {
  return { at, lines, shippingExclMicros: shippingExcl, shippingInclMicros: shippingIncl, voucherExclMicros: voucherExcl, voucherInclMicros: voucherIncl };
}

function slipLine(line: PricedLine, quantity: number): SlipLineDoc {
  return { detailId: line.id, quantity, exclMicros: line.exclMicros * quantity, inclMicros: line.inclMicros * quantity };
}

/**
 * Credit slips: a refunded order (state 7) is refunded in full, shipping included unless a voucher made it free,
 * its percent voucher deducted; a few shipped orders without a voucher get one or two partial refunds of a single
 * item, up to a month after their last change (a partial refund does not touch the order).
 */
function slips(ctx: GenContext, o: number, k: OrderSketch, upd: number): SlipDoc[] {
  const final = k.path[k.path.length - 1];
  const lines = k.lines;
  const a = k.amounts;
  if (final === 7) {
    const refundShipping = k.discount !== 'freeShipping' && a.shippingExcl > 0;
    const percent = k.discount === 'percent';
    return [
      slip(
        upd,
        lines.map((line) => slipLine(line, line.quantity)),
        refundShipping ? a.shippingExcl : 0,
        refundShipping ? a.shippingIncl : 0,
        percent ? a.discountExcl : 0,
        percent ? a.discountIncl : 0,
      ),
    ];
  }
  if ((final !== 4 && final !== 5) || k.discount !== 'none' || unit(ctx.seed, D, o, 20) >= 0.05) return [];
  const now = ctx.zone.toNaive(ctx.anchor);
  const first = hash32(ctx.seed, D, o, 21) % lines.length;
  const at1 = naiveAfter(ctx, upd, DAY + (hash32(ctx.seed, D, o, 22) % (20 * DAY)), now);
  const out = [slip(at1, [slipLine(lines[first]!, 1)])];
  const second = lines[(first + 1) % lines.length]!;
  const secondHasRoom = second !== lines[first] || second.quantity > 1;
  if (unit(ctx.seed, D, o, 23) < 0.3 && secondHasRoom) out.push(slip(naiveAfter(ctx, at1, DAY + (hash32(ctx.seed, D, o, 24) % (10 * DAY)), now), [slipLine(second, 1)]));
  return out;
}

function refundsOf(path: readonly number[], slipDocs: readonly SlipDoc[]): Map<number, LineRefund> {
  const out = new Map<number, LineRefund>();
  const delivered = everDelivered(path);
  const reinject = !everShipped(path);
  for (const s of slipDocs) {
    for (const line of s.lines) {
      const r = out.get(line.detailId) ?? { quantity: 0, exclMicros: 0, inclMicros: 0, returned: 0, reinjected: 0 };
      r.quantity += line.quantity;
      r.exclMicros += line.exclMicros;
      r.inclMicros += line.inclMicros;
      if (delivered) r.returned += line.quantity;
      if (reinject) r.reinjected += line.quantity;
      out.set(line.detailId, r);
    }
  }
  return out;
}

export function buildOrderDocs(ctx: GenContext, o: number): OrderDocs {
  const { add, upd } = orderBaseDates(ctx, o);
  const k = orderSketch(ctx, o);
  const dates = historyDates(ctx, k.path, add, upd, invoiceTime(ctx, o, add, upd));
  const histories = k.path.map((state, i) => ({ state, at: dates[i] ?? add, employee: i === 0 ? 0 : 1 }));
  const paidAt = dates[Math.max(0, firstPaidIndex(k.path))] ?? add;
  const paid = everPaid(k.path);
  const slipDocs = paid ? slips(ctx, o, k, upd) : [];
  let row: Row | undefined;
  return {
    sketch: k,
    order: () => (row ??= orderFromSketch(ctx, k, add, upd)),
    reference: () => orderReference(ctx, k.cart),
    lines: new Map(k.lines.map((line) => [line.id, line])),
    histories,
    payments: paid ? payments(ctx, o, k, paidAt, add) : [],
    slips: slipDocs,
    cartRule: k.discount === 'none' ? null : k.discount,
    refunds: refundsOf(k.path, slipDocs),
  };
}

/** The documents of recently read orders: lists walk an order's documents id after id. */
export class OrderDocsCache {
  private readonly cache = new Map<number, OrderDocs>();
  private lastId = 0;
  private last: OrderDocs | undefined;

  constructor(
    private readonly ctx: GenContext,
    private readonly capacity = 512,
  ) {}

  get(orderId: number): OrderDocs {
    if (orderId === this.lastId && this.last) return this.last;
    let docs = this.cache.get(orderId);
    if (docs) {
      this.cache.delete(orderId);
    } else {
      docs = buildOrderDocs(this.ctx, orderId);
      if (this.cache.size >= this.capacity) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    this.cache.set(orderId, docs);
    this.lastId = orderId;
    this.last = docs;
    return docs;
  }
}
