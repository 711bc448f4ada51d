import type { Pool } from 'pg';
import { withTransaction } from '../../../shared/db/transaction';
import type { ShopRecord } from '../../../shared/prestashop/api';

/** The order document streams of migration 008, by raw table suffix. */
export type DocumentStream = 'order_details' | 'order_cart_rules' | 'order_slips' | 'order_payments' | 'order_histories';

/** Details and vouchers keep their order in parent_id, as the sync writes it (shared/sync/rawWriter.ts). */
const CHILD_STREAMS = new Set<DocumentStream>(['order_details', 'order_cart_rules']);

/** Writes document rows the way the sync does: an unchanged payload is not rewritten, a new one is stamped. */
export async function upsertDocuments(pool: Pool, stream: DocumentStream, payloads: ShopRecord[]): Promise<void> {
  const child = CHILD_STREAMS.has(stream);
  await withTransaction(pool, async (client) => {
    await client.query(
      `with input as (
         select (p ->> 'id')::bigint as id, p as payload, sha256(convert_to(p::text, 'UTF8')) as sha,
                staging.ps_timestamp(coalesce(nullif(p ->> 'date_upd', ''), nullif(p ->> 'date_add', ''))) as date_upd_local,
                nullif(p ->> 'id_order', '')::bigint as parent_id
         from unnest($1::jsonb[]) as rows (p)
       )
       insert into raw.prestashop_${stream} as r (id, payload, payload_sha256, date_upd_local${child ? ', parent_id' : ''})
       select id, payload, sha, date_upd_local${child ? ', parent_id' : ''} from input
       on conflict (id) do update set payload = excluded.payload, payload_sha256 = excluded.payload_sha256,
         date_upd_local = excluded.date_upd_local, deleted_at = null${child ? ', parent_id = excluded.parent_id' : ''}
       where r.payload_sha256 is distinct from excluded.payload_sha256 or r.deleted_at is not null`,
      [payloads.map((p) => JSON.stringify(p))],
    );
  });
}

export async function setDocumentsDeleted(pool: Pool, stream: DocumentStream, ids: number[], deleted: boolean): Promise<void> {
  await pool.query(`update raw.prestashop_${stream} set deleted_at = ${deleted ? 'now()' : 'null'} where id = any($1::bigint[])`, [ids]);
}

export interface DetailSpec {
  id: number;
  orderId: number;
  productId: number;
  quantity: number;
  unitPriceTaxExcl: string;
  supplierPrice?: string;
  wholesalePrice?: string;
  refunded?: number;
  returned?: number;
  refundedTaxExcl?: string;
}

/** An order_details row as PrestaShop 8.1 sends it (integers as numbers), with the fields analytics reads. */
export function detailPayload(spec: DetailSpec): ShopRecord {
  return {
    id: spec.id,
    id_order: spec.orderId,
    product_id: spec.productId,
    product_attribute_id: 0,
    product_name: `Product ${spec.productId}`,
    product_quantity: spec.quantity,
    product_quantity_refunded: spec.refunded ?? 0,
    product_quantity_return: spec.returned ?? 0,
    product_quantity_reinjected: 0,
    unit_price_tax_excl: spec.unitPriceTaxExcl,
    purchase_supplier_price: spec.supplierPrice ?? '0.000000',
    original_wholesale_price: spec.wholesalePrice ?? '0.000000',
    total_refunded_tax_excl: spec.refundedTaxExcl ?? '0.000000',
    total_refunded_tax_incl: spec.refundedTaxExcl ?? '0.000000',
  };
}

export interface SlipSpec {
  id: number;
  orderId: number;
  dateAdd: string;
  conversionRate: string;
  productsTaxExcl: string;
  shippingTaxExcl?: string;
  lines?: { detailId: number; quantity: number; amountTaxExcl: string }[];
}

/** A credit slip (order_slips) as 1.7 sends it: every value a string; each slip detail's id is the slip's. */
export function slipPayload(spec: SlipSpec): ShopRecord {
  return {
    id: spec.id,
    id_customer: '1',
    id_order: String(spec.orderId),
    conversion_rate: spec.conversionRate,
    total_products_tax_excl: spec.productsTaxExcl,
    total_products_tax_incl: spec.productsTaxExcl,
    total_shipping_tax_excl: spec.shippingTaxExcl ?? '0.000000',
    total_shipping_tax_incl: spec.shippingTaxExcl ?? '0.000000',
    amount: spec.productsTaxExcl,
    partial: '0',
    order_slip_type: '0',
    date_add: spec.dateAdd,
    date_upd: spec.dateAdd,
    associations: {
      order_slip_details: (spec.lines ?? []).map((line) => ({
        id: String(spec.id),
        id_order_detail: String(line.detailId),
        product_quantity: String(line.quantity),
        amount_tax_excl: line.amountTaxExcl,
        amount_tax_incl: line.amountTaxExcl,
      })),
    },
  };
}

export function paymentPayload(spec: { id: number; reference: string; currencyId: number; conversionRate: string; amount: string; method: string; dateAdd: string }): ShopRecord {
  return {
    id: spec.id,
    order_reference: spec.reference,
    id_currency: spec.currencyId,
    amount: spec.amount,
    payment_method: spec.method,
    conversion_rate: spec.conversionRate,
    transaction_id: '',
    card_number: '',
    card_brand: '',
    card_expiration: '',
    card_holder: '',
    date_add: spec.dateAdd,
    id_employee: 0,
  };
}

export function historyPayload(spec: { id: number; orderId: number; stateId: number; dateAdd: string }): ShopRecord {
  return { id: spec.id, id_employee: 1, id_order_state: spec.stateId, id_order: spec.orderId, date_add: spec.dateAdd };
}

export function cartRulePayload(spec: { id: number; orderId: number; cartRuleId: number; name: string; valueTaxExcl: string; deleted?: boolean }): ShopRecord {
  return {
    id: spec.id,
    id_order: String(spec.orderId),
    id_cart_rule: String(spec.cartRuleId),
    id_order_invoice: '0',
    name: spec.name,
    value: spec.valueTaxExcl,
    value_tax_excl: spec.valueTaxExcl,
    free_shipping: '0',
    deleted: spec.deleted ? '1' : '0',
  };
}
