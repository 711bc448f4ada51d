import type { Pool } from 'pg';
import { saveReferenceData, type ReferenceData } from '../../../shared/analytics/referenceData';
import { withTransaction } from '../../../shared/db/transaction';
import type { ShopRecord } from '../../../shared/prestashop/api';
import { cartRulePayload, detailPayload, historyPayload, paymentPayload, slipPayload, upsertDocuments } from './documents';
import { customerPayload, orderPayload, productPayload, upsertRaw } from './raw';

export const REVENUE_ZONE = 'Europe/Paris';

const state = (id: number, name: string, flags: { paid?: boolean; shipped?: boolean; delivery?: boolean; logable?: boolean }) => ({
  id,
  paid: flags.paid ? '1' : '0',
  shipped: flags.shipped ? '1' : '0',
  delivery: flags.delivery ? '1' : '0',
  logable: flags.logable ? '1' : '0',
  invoice: flags.paid ? '1' : '0',
  hidden: '0',
  deleted: '0',
  color: '#000000',
  module_name: '',
  name: [{ id: 1, value: name }],
});

/** PrestaShop's own order states and flags: "Processing in progress" already has delivery = 1. */
const reference: ReferenceData = {
  orderStates: [
    state(1, 'Awaiting check payment', {}),
    state(2, 'Payment accepted', { paid: true, logable: true }),
    state(3, 'Processing in progress', { paid: true, delivery: true, logable: true }),
    state(4, 'Shipped', { paid: true, shipped: true, delivery: true, logable: true }),
    state(5, 'Delivered', { paid: true, shipped: true, delivery: true, logable: true }),
    state(6, 'Canceled', {}),
  ],
  currencies: [
    { id: 1, name: 'Euro', iso_code: 'EUR', precision: 2, conversion_rate: '1.000000', deleted: 0, active: 1 },
    { id: 2, name: 'US Dollar', iso_code: 'USD', precision: 2, conversion_rate: '1.250000', deleted: 0, active: 1 },
  ],
  languages: [],
  settings: { defaultCurrencyId: 1, defaultLangId: 1, timeZone: REVENUE_ZONE, timeZoneSource: 'PS_TIMEZONE' },
};

/** Order 3 as placed (valid) or after it was canceled (invalid, state 6); its payment and slip stay. */
export function order3(valid: boolean): ShopRecord {
  return {
    ...orderPayload({ id: 3, customerId: 3, dateAdd: '2024-05-02 11:00:00', valid, conversionRate: '1.000000', totalPaidTaxExcl: '20.000000', lines: [{ id: 31, productId: 1, quantity: 1, unitPriceTaxExcl: '20.000000' }] }),
    total_paid_tax_incl: '24.000000',
    total_paid_real: '24.000000',
  };
}

/**
 * The small shop of docs/data-model.md's revenue examples (shop time zone Europe/Paris, UTC+2 in May 2024; EUR
 * default, USD at 1.25):
 *
 *  order 1 EUR 2024-05-01 10:00 valid: line 11 2 x 30 (cost 12, supplier price), line 12 1 x 40 (cost 15,
 *          wholesale only); voucher 10, shipping 5: total tax excl 95, paid 114 = 57 EUR + 71.25 USD (57 EUR).
 *          Slip 1 on 2024-05-03: 1 unit of line 11, 30. History 1 -> 2 -> 3 -> 4 -> 5.
 *  order 2 USD 2024-05-01 15:00 valid: line 21 3 x 12.50 (no cost); shipping 2.50; total 40 (32 EUR), paid 48 USD.
 *  order 3 EUR 2024-05-02 11:00 valid, canceled later: line 31 1 x 20 (cost 8); paid 24; slip 2 on 2024-05-03
 *          refunds it whole (20).
 */
export async function seedRevenueShop(pool: Pool): Promise<void> {
  await withTransaction(pool, (client) => saveReferenceData(client, reference));
  await upsertRaw(pool, 'customers', [1, 2, 3].map((id) => customerPayload({ id })));
  await upsertRaw(pool, 'products', [1, 2, 3].map((id) => productPayload({ id })));
  await upsertRaw(pool, 'orders', [
    {
      ...orderPayload({
        id: 1, customerId: 1, dateAdd: '2024-05-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '95.000000', totalProducts: '100.000000',
        lines: [{ id: 11, productId: 1, quantity: 2, unitPriceTaxExcl: '30.000000' }, { id: 12, productId: 2, quantity: 1, unitPriceTaxExcl: '40.000000' }],
      }),
      total_discounts_tax_excl: '10.000000',
      total_shipping_tax_excl: '5.000000',
      total_paid_tax_incl: '114.000000',
      total_paid_real: '114.000000',
    },
    {
      ...orderPayload({
        id: 2, customerId: 2, dateAdd: '2024-05-01 15:00:00', valid: true, currencyId: 2, conversionRate: '1.250000', totalPaidTaxExcl: '40.000000', totalProducts: '37.500000',
        lines: [{ id: 21, productId: 3, quantity: 3, unitPriceTaxExcl: '12.500000' }],
      }),
      total_shipping_tax_excl: '2.500000',
      total_paid_tax_incl: '48.000000',
      total_paid_real: '48.000000',
    },
    order3(true),
  ]);
  await upsertDocuments(pool, 'order_details', [
    detailPayload({ id: 11, orderId: 1, productId: 1, quantity: 2, unitPriceTaxExcl: '30.000000', supplierPrice: '12.000000', wholesalePrice: '13.000000', refunded: 1, refundedTaxExcl: '30.000000' }),
    detailPayload({ id: 12, orderId: 1, productId: 2, quantity: 1, unitPriceTaxExcl: '40.000000', wholesalePrice: '15.000000' }),
    detailPayload({ id: 21, orderId: 2, productId: 3, quantity: 3, unitPriceTaxExcl: '12.500000' }),
    detailPayload({ id: 31, orderId: 3, productId: 1, quantity: 1, unitPriceTaxExcl: '20.000000', supplierPrice: '8.000000', refunded: 1, refundedTaxExcl: '20.000000' }),
  ]);
  await upsertDocuments(pool, 'order_cart_rules', [cartRulePayload({ id: 1, orderId: 1, cartRuleId: 7, name: 'Spring 10', valueTaxExcl: '10.000000' })]);
  await upsertDocuments(pool, 'order_slips', [
    slipPayload({ id: 1, orderId: 1, dateAdd: '2024-05-03 09:00:00', conversionRate: '1.000000', productsTaxExcl: '30.000000', lines: [{ detailId: 11, quantity: 1, amountTaxExcl: '30.000000' }] }),
    slipPayload({ id: 2, orderId: 3, dateAdd: '2024-05-03 16:00:00', conversionRate: '1.000000', productsTaxExcl: '20.000000', lines: [{ detailId: 31, quantity: 1, amountTaxExcl: '20.000000' }] }),
  ]);
  await upsertDocuments(pool, 'order_payments', [
    paymentPayload({ id: 1, reference: 'REF1', currencyId: 1, conversionRate: '1.000000', amount: '57.000000', method: 'Bank wire', dateAdd: '2024-05-01 11:00:00' }),
    paymentPayload({ id: 2, reference: 'REF1', currencyId: 2, conversionRate: '1.250000', amount: '71.250000', method: 'Card', dateAdd: '2024-05-01 11:30:00' }),
    paymentPayload({ id: 3, reference: 'REF2', currencyId: 2, conversionRate: '1.250000', amount: '48.000000', method: 'Card', dateAdd: '2024-05-01 15:05:00' }),
    paymentPayload({ id: 4, reference: 'REF3', currencyId: 1, conversionRate: '1.000000', amount: '24.000000', method: 'Bank wire', dateAdd: '2024-05-03 00:30:00' }),
  ]);
  await upsertDocuments(pool, 'order_histories', [
    historyPayload({ id: 101, orderId: 1, stateId: 1, dateAdd: '2024-05-01 10:00:00' }),
    historyPayload({ id: 102, orderId: 1, stateId: 2, dateAdd: '2024-05-01 12:00:00' }),
    historyPayload({ id: 103, orderId: 1, stateId: 3, dateAdd: '2024-05-02 09:00:00' }),
    historyPayload({ id: 104, orderId: 1, stateId: 4, dateAdd: '2024-05-02 15:30:00' }),
    historyPayload({ id: 105, orderId: 1, stateId: 5, dateAdd: '2024-05-04 11:00:00' }),
    historyPayload({ id: 201, orderId: 2, stateId: 2, dateAdd: '2024-05-01 15:05:00' }),
  ]);
}
