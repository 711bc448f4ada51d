import type { z } from 'zod';
import {
  addressSchema,
  carrierSchema,
  categorySchema,
  combinationSchema,
  configurationSchema,
  countrySchema,
  currencySchema,
  customerSchema,
  languageSchema,
  manufacturerSchema,
  orderCartRuleSchema,
  orderDetailSchema,
  orderHistorySchema,
  orderPaymentSchema,
  orderSchema,
  orderSlipSchema,
  orderStateSchema,
  productSchema,
  stockAvailableSchema,
} from './schemas';

/** What the client must know of a webservice resource to list it, fetch one record and validate rows. */
export interface ResourceSpec {
  /** The key of a JSON list: the resource name, except order_slip, which lists under order_slips. */
  listKey: string;
  /** The node of a single record fetched without display: {"order":{...}}. */
  singular: string;
  /** Rows of display=full are validated with it; display=[...] rows only need an id. */
  schema: z.ZodType;
  /**
   * Multishop (docs/prestashop-webservice.md §11.8): 'filter' lists are not shop-scoped and get filter[id_shop]=[N];
   * 'param' resources get id_shop=N; 'none' are never scoped.
   */
  shopScope: 'filter' | 'param' | 'none';
}

const spec = (listKey: string, singular: string, schema: z.ZodType, shopScope: ResourceSpec['shopScope']): ResourceSpec => ({
  listKey,
  singular,
  schema,
  shopScope,
});

/** Every resource the app reads. A key that lacks GET on one of them gets 401 code 26 for it. */
export const RESOURCES = {
  customers: spec('customers', 'customer', customerSchema, 'filter'),
  products: spec('products', 'product', productSchema, 'param'),
  orders: spec('orders', 'order', orderSchema, 'filter'),
  order_details: spec('order_details', 'order_detail', orderDetailSchema, 'none'),
  order_slip: spec('order_slips', 'order_slip', orderSlipSchema, 'none'),
  order_payments: spec('order_payments', 'order_payment', orderPaymentSchema, 'none'),
  order_histories: spec('order_histories', 'order_history', orderHistorySchema, 'none'),
  order_cart_rules: spec('order_cart_rules', 'order_cart_rule', orderCartRuleSchema, 'none'),
  order_states: spec('order_states', 'order_state', orderStateSchema, 'param'),
  currencies: spec('currencies', 'currency', currencySchema, 'param'),
  languages: spec('languages', 'language', languageSchema, 'param'),
  configurations: spec('configurations', 'configuration', configurationSchema, 'none'),
  addresses: spec('addresses', 'address', addressSchema, 'none'),
  categories: spec('categories', 'category', categorySchema, 'param'),
  manufacturers: spec('manufacturers', 'manufacturer', manufacturerSchema, 'none'),
  carriers: spec('carriers', 'carrier', carrierSchema, 'param'),
  countries: spec('countries', 'country', countrySchema, 'none'),
  combinations: spec('combinations', 'combination', combinationSchema, 'none'),
  stock_availables: spec('stock_availables', 'stock_available', stockAvailableSchema, 'filter'),
} as const satisfies Record<string, ResourceSpec>;

export type ShopResource = keyof typeof RESOURCES;

export function isShopResource(name: string): name is ShopResource {
  return Object.hasOwn(RESOURCES, name);
}
