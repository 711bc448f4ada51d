import { z } from 'zod';
import type { RejectedRecord, ShopRecord } from './api';
import { stripSensitive } from './sensitiveFields';
import { isShopLocalTime } from './shopTime';

/**
 * Row schemas. Values stay as the shop sent them; only what the sync relies on is checked, and every schema lets
 * unknown fields through. Rows are parsed one by one so a bad row is set aside.
 *
 * Types are checked for meaning, not JSON form (docs/prestashop-webservice.md §6): PrestaShop 8.1 sends integer
 * fields as JSON numbers and 1.7 as strings, and one list can mix both, so every scalar may arrive either way.
 * Ids must be non-negative integers and the record dates shop-local times, because keys and windows depend on
 * them. Money, other dates and text pass as received: staging types them, and a value it cannot parse becomes
 * null and is counted by a data-quality warning, so one malformed amount never costs the whole record.
 */

/** A non-negative integer: a JSON number (8.1) or a string of digits (1.7). */
export const wholeNumber = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a whole number')]);
/** A signed integer, either form. */
const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')]);
/** `id_*` fields: a whole number, or "" (or null) for NULL (docs/prestashop-webservice.md §6). */
const optionalId = z.union([wholeNumber, z.literal(''), z.null()]);
/** A decimal: a number or a decimal string (money and rates are strings in every version seen so far). */
const decimal = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal')]);
/** A 0/1 flag, either form. */
const flag = z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]);
const shopLocalTime = z.string().refine(isShopLocalTime, { message: "expected 'YYYY-MM-DD HH:MM:SS'" });

/** A record id: a positive integer in either form; parseRows hands it on as a number. */
export const recordId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, 'expected a positive whole number')]);

/** A translatable field: a plain string with one language, a list of {id, value} with several. */
export const multiLanguage = z.union([
  z.string(),
  z.array(z.looseObject({ id: wholeNumber, value: z.string().nullable() })),
]);
export type MultiLanguage = z.infer<typeof multiLanguage>;

/** The text of a translatable field in one language; a plain string is the only language there is. */
export function languageValue(field: unknown, languageId: number | string): string | null {
  if (typeof field === 'string') return field;
  if (!Array.isArray(field)) return null;
  const wanted = String(languageId);
  for (const entry of field as unknown[]) {
    if (typeof entry === 'object' && entry !== null && String((entry as { id?: unknown }).id) === wanted) {
      const value = (entry as { value?: unknown }).value;
      return typeof value === 'string' ? value : null;
    }
  }
  return null;
}

const dated = { id: recordId, date_add: shopLocalTime, date_upd: shopLocalTime, id_shop: optionalId.optional() };
/** Records that carry only their creation date (payments, status history). */
const created = { id: recordId, date_add: shopLocalTime };

export const orderRowSchema = z.looseObject({
  id: wholeNumber,
  product_id: wholeNumber,
  product_attribute_id: optionalId.optional(),
  product_quantity: integer,
});

export const orderSchema = z.looseObject({
  ...dated,
  id_customer: optionalId.optional(),
  id_currency: optionalId.optional(),
  current_state: optionalId.optional(),
  associations: z.looseObject({ order_rows: z.array(orderRowSchema).optional() }).optional(),
});

export const customerSchema = z.looseObject({ ...dated });

export const productSchema = z.looseObject({ ...dated, name: multiLanguage.optional() });

export const orderStateSchema = z.looseObject({ id: recordId, name: multiLanguage.optional(), logable: flag.optional(), paid: flag.optional() });

export const currencySchema = z.looseObject({ id: recordId, iso_code: z.string().optional(), conversion_rate: decimal.optional() });

export const languageSchema = z.looseObject({ id: recordId, iso_code: z.string().optional(), active: flag.optional() });

export const configurationSchema = z.looseObject({ id: recordId, name: z.string(), value: z.union([z.string(), z.number()]).nullable().optional() });

/** Order children (docs/prestashop-webservice.md §9): ids checked, the rest typed in staging. */
export const orderDetailSchema = z.looseObject({ id: recordId, id_order: wholeNumber, product_id: wholeNumber, product_quantity: integer });
export const orderSlipSchema = z.looseObject({ ...dated, id_order: wholeNumber });
export const orderPaymentSchema = z.looseObject({ ...created, order_reference: z.string() });
export const orderHistorySchema = z.looseObject({ ...created, id_order: wholeNumber, id_order_state: wholeNumber });
export const orderCartRuleSchema = z.looseObject({ id: recordId, id_order: wholeNumber, id_cart_rule: optionalId });

/** Catalog and geography: ids checked (they join), the rest typed in staging. */
export const addressSchema = z.looseObject({ ...dated, id_customer: optionalId.optional(), id_country: optionalId.optional() });
export const categorySchema = z.looseObject({ ...dated, id_parent: optionalId.optional(), name: multiLanguage.optional() });
export const manufacturerSchema = z.looseObject({ ...dated });
export const carrierSchema = z.looseObject({ id: recordId });
export const countrySchema = z.looseObject({ id: recordId, name: multiLanguage.optional() });
export const combinationSchema = z.looseObject({ id: recordId, id_product: wholeNumber });
export const stockAvailableSchema = z.looseObject({ id: recordId, id_product: wholeNumber, id_product_attribute: optionalId.optional(), quantity: integer.optional() });

/** display=[id] rows. */
export const idOnlySchema = z.looseObject({ id: recordId });

/** display=[id,date_upd] rows (the newest-date probe). */
export const idDateSchema = z.looseObject({ id: recordId, date_upd: shopLocalTime });

function rawId(row: unknown): number | null {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  if (typeof id === 'number' && Number.isInteger(id) && id > 0) return id;
  if (typeof id === 'string' && /^\d+$/.test(id) && Number(id) > 0) return Number(id);
  return null;
}

/** The record with its id as a number (ids are keys; the rest of the payload stays as received). */
function withNumericId(row: unknown): unknown {
  const id = (row as { id?: unknown }).id;
  return typeof id === 'string' ? { ...(row as object), id: Number(id) } : row;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(row)'}: ${issue.message}`).join('; ');
}

export interface ParsedRows<T = ShopRecord> {
  records: T[];
  rejected: RejectedRecord[];
}

/** Validates rows one at a time; a bad row is set aside with its reason, the rest go through untouched. */
export function parseRows<T = ShopRecord>(rows: readonly unknown[], schema: z.ZodType): ParsedRows<T> {
  const records: T[] = [];
  const rejected: RejectedRecord[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row);
    if (result.success) records.push(withNumericId(row) as T);
    else rejected.push({ id: rawId(row), reason: `invalid record: ${describeIssues(result.error)}`, payload: stripSensitive(row) });
  }
  return { records, rejected };
}

/** The id a row claims, even if it fails validation (for keyset progress). */
export function claimedId(row: unknown): number | null {
  return rawId(row);
}
