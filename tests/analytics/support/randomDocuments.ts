import type { Pool } from 'pg';
import type { ReferenceData } from '../../../shared/analytics/referenceData';
import { cartRulePayload, detailPayload, historyPayload, paymentPayload, setDocumentsDeleted, slipPayload, upsertDocuments, type DocumentStream } from './documents';

/** Order states with PrestaShop's flags, so status changes give orders paid, shipped and delivered times. */
export const DOCUMENT_REFERENCE: ReferenceData = {
  orderStates: [1, 2, 3, 4, 5, 6].map((id) => ({
    id,
    paid: id >= 2 && id <= 5 ? '1' : '0',
    shipped: id >= 4 && id <= 5 ? '1' : '0',
    delivery: id >= 3 && id <= 5 ? '1' : '0',
    logable: id >= 2 && id <= 5 ? '1' : '0',
    invoice: '0',
    hidden: '0',
    deleted: '0',
    color: '#000000',
    module_name: '',
    name: [{ id: 1, value: `State ${id}` }],
  })),
  currencies: [],
  languages: [],
  settings: { defaultCurrencyId: 1, defaultLangId: 1, timeZone: 'America/New_York', timeZoneSource: 'PS_TIMEZONE' },
};

interface Draw {
  int: (lo: number, hi: number) => number;
  random: () => number;
}

const money = (draw: Draw, hi: number): string => `${draw.int(0, hi)}.${String(draw.int(0, 99)).padStart(2, '0')}0000`;
const RATES = ['1.000000', '1.250000', '0.850000'];
const stamp = (draw: Draw): string =>
  `${new Date(Date.UTC(2024, 2, 1) + draw.int(1, 80) * 86_400_000).toISOString().slice(0, 10)} ${String(draw.int(0, 23)).padStart(2, '0')}:${String(draw.int(0, 59)).padStart(2, '0')}:00`;

/**
 * New versions of the documents of the given orders (ids follow the order id: lines id*10+k as randomOrder makes
 * them, one voucher, two slips, two payments, five history entries), a random subset of each; then a few
 * documents of any kind deleted or restored. A slip sometimes names another order, and slips, payments and
 * history entries fall on days of their own.
 */
export async function mutateDocuments(pool: Pool, draw: Draw, orderIds: number[], anyOrder: () => number): Promise<void> {
  const { int, random } = draw;
  const some = <T>(items: T[]): T[] => items.filter(() => random() < 0.6);
  await upsertDocuments(pool, 'order_details', some(orderIds.flatMap((id) => [0, 1, 2].map((k) => ({ id, k })))).map(({ id, k }) => {
    const refunded = int(0, 1);
    return detailPayload({
      id: id * 10 + k, orderId: id, productId: int(1, 12), quantity: int(1, 4), unitPriceTaxExcl: money(draw, 50),
      supplierPrice: random() < 0.5 ? money(draw, 20) : '0.000000', wholesalePrice: random() < 0.7 ? money(draw, 20) : '0.000000',
      refunded, returned: int(0, refunded), refundedTaxExcl: refunded ? money(draw, 30) : '0.000000',
    });
  }));
  await upsertDocuments(pool, 'order_cart_rules', some(orderIds).map((id) => cartRulePayload({ id, orderId: id, cartRuleId: int(1, 3), name: `Voucher ${int(1, 3)}`, valueTaxExcl: money(draw, 10), deleted: random() < 0.2 })));
  await upsertDocuments(pool, 'order_slips', some(orderIds.flatMap((id) => [id * 2, id * 2 + 1])).map((slipId) => {
    const orderId = random() < 0.1 ? anyOrder() : Math.floor(slipId / 2);
    const products = money(draw, 40);
    return slipPayload({ id: slipId, orderId, dateAdd: stamp(draw), conversionRate: RATES[int(0, 2)] ?? '1.000000', productsTaxExcl: products, shippingTaxExcl: money(draw, 5), lines: [{ detailId: orderId * 10, quantity: 1, amountTaxExcl: products }] });
  }));
  await upsertDocuments(pool, 'order_payments', some(orderIds.flatMap((id) => [id * 2, id * 2 + 1])).map((paymentId) =>
    paymentPayload({ id: paymentId, reference: `REF${Math.floor(paymentId / 2)}`, currencyId: int(1, 3), conversionRate: RATES[int(0, 2)] ?? '1.000000', amount: money(draw, 200), method: `Method ${int(1, 3)}`, dateAdd: stamp(draw) }),
  ));
  await upsertDocuments(pool, 'order_histories', some(orderIds.flatMap((id) => [0, 1, 2, 3, 4].map((k) => ({ id, k })))).map(({ id, k }) =>
    historyPayload({ id: id * 10 + k, orderId: id, stateId: int(1, 6), dateAdd: stamp(draw) }),
  ));
  const streams: [DocumentStream, number][] = [['order_details', 10], ['order_cart_rules', 1], ['order_slips', 2], ['order_payments', 2], ['order_histories', 10]];
  for (const [stream, perOrder] of streams) {
    const id = anyOrder() * perOrder + int(0, perOrder === 1 ? 0 : perOrder === 2 ? 1 : 4);
    await setDocumentsDeleted(pool, stream, [id], random() < 0.6);
  }
}
