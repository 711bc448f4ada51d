import type { Pool } from 'pg';
import { withTransaction } from '../../../shared/db/transaction';
import type { ShopRecord } from '../../../shared/prestashop/api';

export type RawEntity =
  | 'customers'
  | 'products'
  | 'orders'
  | 'addresses'
  | 'categories'
  | 'manufacturers'
  | 'carriers'
  | 'countries'
  | 'combinations'
  | 'stock_availables';

export interface LineSpec {
  id: number | string;
  productId: number | string;
  quantity: number;
  unitPriceTaxExcl: string;
}

export interface OrderSpec {
  id: number;
  customerId: number | string;
  dateAdd: string;
  valid: boolean;
  currencyId?: number;
  conversionRate: string;
  totalPaidTaxExcl: string;
  /** Defaults to totalPaidTaxExcl (no shipping, no discount). */
  totalProducts?: string;
  lines?: LineSpec[];
  /** Defaults to 5 and 2. */
  addressDeliveryId?: number;
  carrierId?: number;
  /** Variant of every line (product_attribute_id); defaults to 0, none. */
  variantId?: number;
}

/** An order as the shop's JSON webservice sends it: every value a string, ids "" when null, zero dates. */
export function orderPayload(spec: OrderSpec): ShopRecord {
  const totalProducts = spec.totalProducts ?? spec.totalPaidTaxExcl;
  const lines = spec.lines ?? [{ id: spec.id * 100, productId: 1, quantity: 1, unitPriceTaxExcl: totalProducts }];
  return {
    id: spec.id,
    id_address_delivery: String(spec.addressDeliveryId ?? 5),
    id_address_invoice: String(spec.addressDeliveryId ?? 5),
    id_cart: String(spec.id),
    id_currency: String(spec.currencyId ?? 1),
    id_lang: '1',
    id_customer: String(spec.customerId),
    id_carrier: String(spec.carrierId ?? 2),
    current_state: spec.valid ? '2' : '6',
    module: 'ps_checkpayment',
    invoice_number: '0',
    invoice_date: '0000-00-00 00:00:00',
    delivery_number: '0',
    delivery_date: '0000-00-00 00:00:00',
    valid: spec.valid ? '1' : '0',
    date_add: spec.dateAdd,
    date_upd: spec.dateAdd,
    shipping_number: '',
    id_shop_group: '1',
    id_shop: '1',
    payment: 'Payment by check',
    total_discounts_tax_excl: '0.000000',
    total_paid_tax_incl: spec.totalPaidTaxExcl,
    total_paid_tax_excl: spec.totalPaidTaxExcl,
    total_paid_real: '0.000000',
    total_products: totalProducts,
    total_products_wt: totalProducts,
    total_shipping_tax_excl: '0.000000',
    total_wrapping_tax_excl: '0.000000',
    conversion_rate: spec.conversionRate,
    reference: `REF${spec.id}`,
    associations: {
      order_rows: lines.map((line) => ({
        id: String(line.id),
        product_id: String(line.productId),
        product_attribute_id: String(spec.variantId ?? 0),
        product_quantity: String(line.quantity),
        product_name: `Product ${line.productId}`,
        product_reference: `demo_${line.productId}`,
        product_price: line.unitPriceTaxExcl,
        id_customization: '0',
        unit_price_tax_incl: line.unitPriceTaxExcl,
        unit_price_tax_excl: line.unitPriceTaxExcl,
      })),
    },
  };
}

export function customerPayload(spec: { id: number; guest?: boolean; deleted?: boolean; dateAdd?: string }): ShopRecord {
  return {
    id: spec.id,
    id_default_group: '3',
    id_lang: '1',
    newsletter_date_add: '0000-00-00 00:00:00',
    deleted: spec.deleted ? '1' : '0',
    lastname: 'Doe',
    firstname: 'Jane',
    email: `c${spec.id}@example.com`,
    id_gender: '',
    birthday: '0000-00-00',
    newsletter: '0',
    optin: '0',
    active: '1',
    is_guest: spec.guest ? '1' : '0',
    id_shop: '1',
    id_shop_group: '1',
    date_add: spec.dateAdd ?? '2024-01-01 10:00:00',
    date_upd: spec.dateAdd ?? '2024-01-01 10:00:00',
  };
}

export function productPayload(spec: {
  id: number;
  names?: [string, string][] | string;
  price?: string;
  categoryId?: number;
  manufacturerId?: number;
}): ShopRecord {
  const names = spec.names ?? `Product ${spec.id}`;
  return {
    id: spec.id,
    id_manufacturer: String(spec.manufacturerId ?? 1),
    id_supplier: '',
    id_category_default: String(spec.categoryId ?? 4),
    reference: `demo_${spec.id}`,
    price: spec.price ?? '10.000000',
    wholesale_price: '0.000000',
    active: '1',
    is_virtual: '0',
    state: '1',
    product_type: 'standard',
    available_date: '0000-00-00',
    date_add: '2023-01-01 10:00:00',
    date_upd: '2023-01-01 10:00:00',
    name: typeof names === 'string' ? names : names.map(([id, value]) => ({ id, value })),
  };
}

/**
 * Writes raw rows the way the sync does (shared/sync/rawWriter.ts): an unchanged payload is not rewritten, a new
 * one is stamped by the raw tables' trigger and appended to history once per distinct version.
 */
export async function upsertRaw(pool: Pool, entity: RawEntity, payloads: ShopRecord[]): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(
      `with input as (
         select (p ->> 'id')::bigint as id, p as payload, sha256(convert_to(p::text, 'UTF8')) as sha,
                nullif(p ->> 'date_upd', '')::timestamp as date_upd_local
         from unnest($1::jsonb[]) as rows (p)
       ),
       written as (
         insert into raw.prestashop_${entity} as r (id, payload, payload_sha256, date_upd_local)
         select id, payload, sha, date_upd_local from input
         on conflict (id) do update set payload = excluded.payload, payload_sha256 = excluded.payload_sha256,
           date_upd_local = excluded.date_upd_local, deleted_at = null
         where r.payload_sha256 is distinct from excluded.payload_sha256 or r.deleted_at is not null
         returning r.id
       )
       insert into raw.prestashop_${entity}_history (id, payload_sha256, payload, date_upd_local)
       select input.id, input.sha, input.payload, input.date_upd_local from input join written on written.id = input.id
       on conflict (id, payload_sha256) do nothing`,
      [payloads.map((p) => JSON.stringify(p))],
    );
  });
}

/** The same record as PrestaShop 1.7 sends it: every integer a string (8.1 sends JSON numbers). */
export function asPrestaShop17(record: ShopRecord): ShopRecord {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'number' && k !== 'id' ? String(v) : v])) as ShopRecord;
}

const lang = (names: string | [number, string][]): unknown => (typeof names === 'string' ? [{ id: 1, value: names }] : names.map(([id, value]) => ({ id, value })));

/** A category as PrestaShop 8.1 sends it (integers as numbers, booleans as strings, names per language). */
export function categoryPayload(spec: { id: number; parentId: number; name: string | [number, string][]; depth?: number; active?: boolean }): ShopRecord {
  return {
    id: spec.id,
    id_parent: spec.parentId,
    level_depth: spec.depth ?? 2,
    nb_products_recursive: 0,
    active: spec.active === false ? '0' : '1',
    id_shop_default: 1,
    is_root_category: spec.depth === 1 ? '1' : '0',
    position: 0,
    date_add: '2023-01-01 10:00:00',
    date_upd: '2023-01-01 10:00:00',
    name: lang(spec.name),
    link_rewrite: lang('category'),
    description: lang(''),
  };
}

export function manufacturerPayload(spec: { id: number; name: string }): ShopRecord {
  return { id: spec.id, active: '1', link_rewrite: 'brand', name: spec.name, date_add: '2023-01-01 10:00:00', date_upd: '2023-01-01 10:00:00', description: lang('') };
}

/** A carrier as 8.1 sends it (carriers_full): edited carriers get a new id with the same id_reference. */
export function carrierPayload(spec: { id: number; name: string; referenceId?: number; deleted?: boolean }): ShopRecord {
  return {
    id: spec.id,
    deleted: spec.deleted ? '1' : '0',
    is_module: '0',
    id_tax_rules_group: 1,
    id_reference: spec.referenceId ?? spec.id,
    name: spec.name,
    active: '1',
    is_free: '0',
    url: '',
    shipping_handling: '1',
    shipping_external: '0',
    range_behavior: '0',
    shipping_method: 1,
    max_weight: '0.000000',
    grade: 0,
    external_module_name: '',
    need_range: '0',
    position: 0,
    delay: lang('Delivery next day!'),
  };
}

export function countryPayload(spec: { id: number; iso: string; name: string | [number, string][] }): ShopRecord {
  return {
    id: spec.id,
    id_zone: 1,
    id_currency: 0,
    call_prefix: 33,
    iso_code: spec.iso,
    active: '1',
    contains_states: '0',
    need_identification_number: '0',
    need_zip_code: '1',
    zip_code_format: 'NNNNN',
    display_tax_label: '1',
    name: lang(spec.name),
  };
}

/** An address as 8.1 sends it (addresses_full), with made-up personal fields. */
export function addressPayload(spec: { id: number; customerId: number; countryId: number; deleted?: boolean }): ShopRecord {
  return {
    id: spec.id,
    id_customer: spec.customerId,
    id_manufacturer: 0,
    id_supplier: 0,
    id_warehouse: 0,
    id_country: spec.countryId,
    id_state: 0,
    alias: 'Home',
    company: '',
    lastname: 'Doe',
    firstname: 'Jane',
    vat_number: '',
    address1: '1 Test street',
    address2: '',
    postcode: '00000',
    city: 'Testville',
    other: '',
    phone: '',
    phone_mobile: '',
    dni: '',
    deleted: spec.deleted ? '1' : '0',
    date_add: '2023-01-01 10:00:00',
    date_upd: '2023-01-01 10:00:00',
  };
}

export function combinationPayload(spec: { id: number; productId: number; reference?: string; priceImpact?: string; isDefault?: boolean }): ShopRecord {
  return {
    id: spec.id,
    id_product: spec.productId,
    location: '',
    ean13: '',
    isbn: '',
    upc: '',
    mpn: '',
    quantity: 0,
    reference: spec.reference ?? `demo_${spec.productId}_${spec.id}`,
    supplier_reference: '',
    wholesale_price: '0.000000',
    price: spec.priceImpact ?? '0.000000',
    ecotax: '0.000000',
    weight: '0.000000',
    unit_price_impact: '0.000000',
    minimal_quantity: 1,
    low_stock_threshold: null,
    low_stock_alert: '0',
    default_on: spec.isDefault ? '1' : null,
    available_date: '0000-00-00',
  };
}

/** A stock_available row (classes/stock/StockAvailable.php): one per product and variant (0 = the product's own). */
export function stockPayload(spec: { id: number; productId: number; variantId?: number; quantity: number }): ShopRecord {
  return {
    id: spec.id,
    id_product: spec.productId,
    id_product_attribute: spec.variantId ?? 0,
    id_shop: 1,
    id_shop_group: 0,
    quantity: spec.quantity,
    depends_on_stock: '0',
    out_of_stock: 2,
    location: '',
  };
}

/** Reconciliation marks rows gone from the shop (or back again), stamping them as changed. */
export async function setDeleted(pool: Pool, entity: RawEntity, ids: number[], deleted: boolean): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(
      `update raw.prestashop_${entity} set deleted_at = ${deleted ? 'now()' : 'null'}
       where id = any($1::bigint[])`,
      [ids],
    );
  });
}

export const ANALYTICS_TABLES = {
  dim_customer: 'customer_id',
  dim_product: 'product_id',
  dim_date: 'date_day',
  fact_orders: 'order_id',
  fact_order_lines: 'order_id, order_line_id',
  kpi_daily_sales: 'sales_date',
  cohort_monthly: 'cohort_month, months_since',
  dim_order_state: 'order_state_id',
  dim_currency: 'currency_id',
  dim_category: 'category_id',
  dim_manufacturer: 'manufacturer_id',
  dim_carrier: 'carrier_id',
  dim_country: 'country_id',
  dim_product_variant: 'variant_id',
  fact_stock_daily: 'product_id, variant_id, stock_date',
  fact_refunds: 'slip_id',
  fact_payments: 'payment_id',
  fact_order_status_changes: 'history_id',
  fact_order_discounts: 'order_cart_rule_id',
} as const;

/** Every row of every analytics table, as text, in key order: for exact comparisons. */
export async function snapshotAnalytics(pool: Pool): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const [table, order] of Object.entries(ANALYTICS_TABLES)) {
    const { rows } = await pool.query<{ row: string }>(`select t::text as row from analytics.${table} as t order by ${order}, t::text`);
    snapshot[table] = rows.map((r) => r.row);
  }
  return snapshot;
}
