import { storableJson } from '../db/storableText';
import type { ShopRecord } from '../prestashop/api';
import { hasSensitiveField, stripSensitive } from '../prestashop/sensitiveFields';
import { isShopLocalTime } from '../prestashop/shopTime';

/**
 * What raw keeps of a shop record: the payload as received, minus sensitive fields, with text PostgreSQL cannot
 * store repaired by the one rule of shared/db/storableText.ts, and its shop-local change date as a timestamp.
 */
export interface RawPayload {
  id: number;
  /** The payload as JSON text jsonb accepts. */
  json: string;
  /** 'YYYY-MM-DD HH:MM:SS' when the record's date is a real calendar time; zero and malformed dates are null. */
  dateLocal: string | null;
  /** Fields whose text was repaired, empty for almost every record. */
  repairedPaths: string[];
}

/** `dateField`: the record date raw keeps as a timestamp (its stream's window date), or null for streams without one. */
export function rawPayloadOf(record: ShopRecord, dateField: string | null = 'date_upd'): RawPayload {
  const kept = hasSensitiveField(record) ? stripSensitive(record) : record;
  const { json, repairedPaths } = storableJson(kept);
  return { id: record.id, json, dateLocal: dateField === null ? null : shopDateTimeOrNull(record[dateField]), repairedPaths };
}

/** A shop-local date-time when the value is one; zero dates ('0000-00-00 00:00:00') and anything else are null. */
export function shopDateTimeOrNull(value: unknown): string | null {
  return typeof value === 'string' && isShopLocalTime(value) ? value : null;
}
