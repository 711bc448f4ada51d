import { LockKey } from '../db/advisoryLock';
import type { DateField, EntityResource } from '../prestashop/api';
import type { ShopResource } from '../prestashop/resources';

/**
 * The streams the sync keeps in raw, each declared once: where it comes from, how it is read, where it goes. The
 * window, keyset, quarantine, repair, reconcile, status and telemetry machinery serves every stream alike.
 *
 * - windowed streams are read in closed windows of one of their dates (docs/architecture.md, "Extraction");
 * - child streams have no date of their own and are refreshed through each order a window reads
 *   (filter[id_order]=[a|b|...]); a row gone from its order is marked deleted;
 * - swept streams have no date at all (and PrestaShop changes them without bumping any other record's date): they
 *   are read whole by keyset, only changed rows written, ids gone marked deleted.
 */

export type WindowedStreamName = EntityResource | 'order_slip' | 'order_payments' | 'order_histories' | 'addresses' | 'categories' | 'manufacturers';
export type ChildStreamName = 'order_details' | 'order_cart_rules';
export type SweptStreamName = 'carriers' | 'countries' | 'combinations' | 'stock_availables';
export type StreamName = WindowedStreamName | ChildStreamName | SweptStreamName;

/** The contract name of a stream in staging.etl_watermarks, staging.etl_runs and staging.quarantine. */
export type EntityName =
  | 'prestashop_customers'
  | 'prestashop_products'
  | 'prestashop_orders'
  | 'prestashop_order_slips'
  | 'prestashop_order_payments'
  | 'prestashop_order_histories'
  | 'prestashop_order_details'
  | 'prestashop_order_cart_rules'
  | 'prestashop_addresses'
  | 'prestashop_categories'
  | 'prestashop_manufacturers'
  | 'prestashop_carriers'
  | 'prestashop_countries'
  | 'prestashop_combinations'
  | 'prestashop_stock_availables';

interface StreamCommon {
  name: StreamName;
  resource: ShopResource;
  entity: EntityName;
  /** raw.<table> and raw.<table>_history; fixed identifiers, never built from input. */
  table: string;
  historyTable: string;
  reconcileLock: number;
}

export interface WindowedStream extends StreamCommon {
  kind: 'windowed';
  name: WindowedStreamName;
  /** The date a window filters on. */
  dateField: DateField;
  syncLock: number;
  /**
   * Streams refreshed through each record of this one, in the same page transaction. An order's details and cart
   * rules come with it; a credit slip also brings its order's details again, because PrestaShop records a refund
   * on the refunded lines without touching the order's date_upd.
   */
  children: { streams: readonly ChildStreamName[]; orderIdField: 'id' | 'id_order' };
}

export interface ChildStream extends StreamCommon {
  kind: 'child';
  name: ChildStreamName;
  parent: 'orders';
  /** The field naming the parent record (stored as raw.<table>.parent_id). */
  parentKey: 'id_order';
}

export interface SweptStream extends StreamCommon {
  kind: 'swept';
  name: SweptStreamName;
}

export type StreamDef = WindowedStream | ChildStream | SweptStream;


const windowed = (
  name: WindowedStreamName,
  entity: EntityName,
  dateField: DateField,
  syncLock: number,
  reconcileLock: number,
  children: WindowedStream['children'] = { streams: [], orderIdField: 'id' },
): WindowedStream => ({
  kind: 'windowed',
  name,
  resource: name,
  entity,
  table: `raw.${entity}`,
  historyTable: `raw.${entity}_history`,
  dateField,
  syncLock,
  reconcileLock,
  children,
});

const child = (name: ChildStreamName, entity: EntityName, reconcileLock: number): ChildStream => ({
  kind: 'child',
  name,
  resource: name,
  entity,
  table: `raw.${entity}`,
  historyTable: `raw.${entity}_history`,
  parent: 'orders',
  parentKey: 'id_order',
  reconcileLock,
});

const swept = (name: SweptStreamName, entity: EntityName, reconcileLock: number): SweptStream => ({
  kind: 'swept',
  name,
  resource: name,
  entity,
  table: `raw.${entity}`,
  historyTable: `raw.${entity}_history`,
  reconcileLock,
});

export const STREAMS = {
  customers: windowed('customers', 'prestashop_customers', 'date_upd', LockKey.syncCustomers, LockKey.reconcileCustomers),
  products: windowed('products', 'prestashop_products', 'date_upd', LockKey.syncProducts, LockKey.reconcileProducts),
  orders: windowed('orders', 'prestashop_orders', 'date_upd', LockKey.syncOrders, LockKey.reconcileOrders, {
    streams: ['order_details', 'order_cart_rules'],
    orderIdField: 'id',
  }),
  order_slip: windowed('order_slip', 'prestashop_order_slips', 'date_upd', LockKey.syncOrderSlips, LockKey.reconcileOrderSlips, {
    streams: ['order_details'],
    orderIdField: 'id_order',
  }),
  order_payments: windowed('order_payments', 'prestashop_order_payments', 'date_add', LockKey.syncOrderPayments, LockKey.reconcileOrderPayments),
  order_histories: windowed('order_histories', 'prestashop_order_histories', 'date_add', LockKey.syncOrderHistories, LockKey.reconcileOrderHistories),
  order_details: child('order_details', 'prestashop_order_details', LockKey.reconcileOrderDetails),
  order_cart_rules: child('order_cart_rules', 'prestashop_order_cart_rules', LockKey.reconcileOrderCartRules),
  addresses: windowed('addresses', 'prestashop_addresses', 'date_upd', LockKey.syncAddresses, LockKey.reconcileAddresses),
  categories: windowed('categories', 'prestashop_categories', 'date_upd', LockKey.syncCategories, LockKey.reconcileCategories),
  manufacturers: windowed('manufacturers', 'prestashop_manufacturers', 'date_upd', LockKey.syncManufacturers, LockKey.reconcileManufacturers),
  carriers: swept('carriers', 'prestashop_carriers', LockKey.sweepCarriers),
  countries: swept('countries', 'prestashop_countries', LockKey.sweepCountries),
  combinations: swept('combinations', 'prestashop_combinations', LockKey.sweepCombinations),
  stock_availables: swept('stock_availables', 'prestashop_stock_availables', LockKey.sweepStockAvailables),
} as const satisfies { [N in WindowedStreamName]: WindowedStream } & { [N in ChildStreamName]: ChildStream } & { [N in SweptStreamName]: SweptStream };

export const STREAM_NAMES = Object.keys(STREAMS) as StreamName[];
export const WINDOWED_STREAMS = STREAM_NAMES.filter((name): name is WindowedStreamName => STREAMS[name].kind === 'windowed');
export const SWEPT_STREAMS = STREAM_NAMES.filter((name): name is SweptStreamName => STREAMS[name].kind === 'swept');

/**
 * What `phc sync all` and the timers read, in an order that loads what a record names before the record:
 * catalog and customers before the orders (and their details and cart rules), then the order documents.
 */
export const SYNC_ORDER: readonly (WindowedStreamName | SweptStreamName)[] = [
  'countries', 'carriers', 'manufacturers', 'categories', 'customers', 'addresses', 'products', 'combinations',
  'stock_availables', 'orders', 'order_slip', 'order_payments', 'order_histories',
];

export function isStreamName(value: string): value is StreamName {
  return Object.hasOwn(STREAMS, value);
}

export function isWindowedStream(value: string): value is WindowedStreamName {
  return isStreamName(value) && STREAMS[value].kind === 'windowed';
}

export function streamOf(entity: EntityName): StreamDef {
  const stream = Object.values(STREAMS).find((s) => s.entity === entity);
  if (!stream) throw new Error(`Unknown entity ${entity as string}`);
  return stream;
}

/** The first three entities: customers, products, orders (what phc and the timers named before the order documents). */
export const ENTITY_RESOURCES: readonly EntityResource[] = ['customers', 'products', 'orders'];

export function isEntityResource(value: string): value is EntityResource {
  return (ENTITY_RESOURCES as readonly string[]).includes(value);
}

