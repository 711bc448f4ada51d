import { z } from 'zod';
import type { EntityResource, ReferenceResource, RejectedRecord, ShopRecord } from './api';
import { isShopLocalTime } from './shopTime';

/**
 * Row schemas. Values stay as the shop sent them (strings; typed later in SQL): only what the sync relies on is
 * checked, and every schema lets unknown fields through. Rows are parsed one by one so a bad row is set aside.
 */

export type ShopResource = EntityResource | ReferenceResource;

const digits = z.string().regex(/^\d+$/, 'expected a string of digits');
/** `id_*` fields: digits, or "" for NULL (WEBSERVICE.md §6). */
const optionalId = z.union([digits, z.literal('')]);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const flag = z.enum(['0', '1']);
const shopLocalTime = z.string().refine(isShopLocalTime, { message: "expected 'YYYY-MM-DD HH:MM:SS'" });

export const recordId = z.number().int().positive();

/** A translatable field: a plain string with one language, a list of {id, value} with several. */
export const multiLanguage = z.union([
  z.string(),
  z.array(z.looseObject({ id: z.union([digits, z.number().int()]), value: z.string().nullable() })),
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

export const orderRowSchema = z.looseObject({
  id: digits,
  product_id: digits,
  product_attribute_id: digits.optional(),
  product_quantity: z.string().regex(/^-?\d+$/, 'expected an integer string'),
  product_name: z.string().optional(),
  product_price: decimal.optional(),
  unit_price_tax_incl: decimal,
  unit_price_tax_excl: decimal,
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

export const configurationSchema = z.looseObject({ id: recordId, name: z.string(), value: z.string().nullable().optional() });

/** display=[id] rows. */
export const idOnlySchema = z.looseObject({ id: recordId });

/** display=[id,date_upd] rows (the newest-date probe). */
export const idDateSchema = z.looseObject({ id: recordId, date_upd: shopLocalTime });

export const rowSchemas: Record<ShopResource, z.ZodType<ShopRecord>> = {
  customers: customerSchema,
  products: productSchema,
  orders: orderSchema,
  order_states: orderStateSchema,
  currencies: currencySchema,
  languages: languageSchema,
  configurations: configurationSchema,
};

/** The singular node name of `{"order":{...}}` (a single resource fetched without display). */
export const singularNames: Record<ShopResource, string> = {
  customers: 'customer',
  products: 'product',
  orders: 'order',
  order_states: 'order_state',
  currencies: 'currency',
  languages: 'language',
  configurations: 'configuration',
};

/** Fields no copy of a record should keep (password hash, tokens). Removed from rejected payloads here. */
export const SENSITIVE_FIELDS = ['passwd', 'secure_key', 'reset_password_token', 'reset_password_validity', 'last_passwd_gen'] as const;

export function withoutSensitiveFields(row: unknown): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  const copy: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const field of SENSITIVE_FIELDS) delete copy[field];
  return copy;
}

function rawId(row: unknown): number | null {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  if (typeof id === 'number' && Number.isInteger(id) && id > 0) return id;
  if (typeof id === 'string' && /^\d+$/.test(id) && Number(id) > 0) return Number(id);
  return null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(row)'}: ${issue.message}`).join('; ');
}

export interface ParsedRows<T = ShopRecord> {
  records: T[];
  rejected: RejectedRecord[];
}

/** Validates rows one at a time; a bad row is set aside with its reason, the rest go through untouched. */
export function parseRows<T>(rows: readonly unknown[], schema: z.ZodType<T>): ParsedRows<T> {
  const records: T[] = [];
  const rejected: RejectedRecord[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row);
    if (result.success) records.push(row as T);
    else rejected.push({ id: rawId(row), reason: `invalid record: ${describeIssues(result.error)}`, payload: withoutSensitiveFields(row) });
  }
  return { records, rejected };
}

/** The id a row claims, even if it fails validation (for keyset progress). */
export function claimedId(row: unknown): number | null {
  return rawId(row);
}
