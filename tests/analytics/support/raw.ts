import type { Pool } from 'pg';
import { withTransaction } from '../../../shared/db/transaction';
import type { ShopRecord } from '../../../shared/prestashop/api';

export type RawEntity = 'customers' | 'products' | 'orders';

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
}

/** An order as the shop's JSON webservice sends it: every value a string, ids "" when null, zero dates. */
export function orderPayload(spec: OrderSpec): ShopRecord {
  const totalProducts = spec.totalProducts ?? spec.totalPaidTaxExcl;
  const lines = spec.lines ?? [{ id: spec.id * 100, productId: 1, quantity: 1, unitPriceTaxExcl: totalProducts }];
  return {
    id: spec.id,
    id_address_delivery: '5',
    id_address_invoice: '5',
    id_cart: String(spec.id),
    id_currency: String(spec.currencyId ?? 1),
    id_lang: '1',
    id_customer: String(spec.customerId),
    id_carrier: '2',
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
        product_attribute_id: '0',
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

export function productPayload(spec: { id: number; names?: [string, string][] | string; price?: string }): ShopRecord {
  const names = spec.names ?? `Product ${spec.id}`;
  return {
    id: spec.id,
    id_manufacturer: '1',
    id_supplier: '',
    id_category_default: '4',
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

/** Writes raw rows the way the sync does: shared fence lock, then stamped with clock_timestamp(). */
export async function upsertRaw(pool: Pool, entity: RawEntity, payloads: ShopRecord[]): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(
      `insert into raw.prestashop_${entity} (id, payload, payload_sha256, date_upd_local, last_changed_at)
       select (p ->> 'id')::bigint, p, sha256(convert_to(p::text, 'UTF8')), nullif(p ->> 'date_upd', '')::timestamp, now()
       from unnest($1::jsonb[]) as rows (p)
       on conflict (id) do update set payload = excluded.payload, payload_sha256 = excluded.payload_sha256,
         date_upd_local = excluded.date_upd_local, deleted_at = null`,
      [payloads.map((p) => JSON.stringify(p))],
    );
  });
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
