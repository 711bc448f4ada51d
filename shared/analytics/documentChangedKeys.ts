import type { PoolClient } from 'pg';
import { fillEveryChangedKeys, type ChangedRange, type ChangedSource } from './changedKeys';

/** The order document streams (raw tables of migration 008) a refresh follows, and their changed-id tables. */
export const DOCUMENT_SOURCES = {
  orderDetails: { table: 'raw.prestashop_order_details', temp: 'chg_order_details', key: 'order_detail_id' },
  orderCartRules: { table: 'raw.prestashop_order_cart_rules', temp: 'chg_order_cart_rules', key: 'order_cart_rule_id' },
  slips: { table: 'raw.prestashop_order_slips', temp: 'chg_slips', key: 'slip_id' },
  payments: { table: 'raw.prestashop_order_payments', temp: 'chg_payments', key: 'payment_id' },
  histories: { table: 'raw.prestashop_order_histories', temp: 'chg_histories', key: 'history_id' },
} as const satisfies Record<string, ChangedSource>;

export type DocumentCounts = Record<keyof typeof DOCUMENT_SOURCES, number>;

/**
 * Fills chg_order_details, chg_order_cart_rules, chg_slips, chg_payments and chg_histories the way createChangedKeys
 * fills the others. sql/models/refresh/expand_document_keys.sql turns them into the orders to refresh.
 */
export async function createDocumentChangedKeys(client: PoolClient, range: ChangedRange): Promise<DocumentCounts> {
  return fillEveryChangedKeys(client, DOCUMENT_SOURCES, range);
}
