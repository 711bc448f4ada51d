/** The internal form of a record: translatable fields keep every language, associations keep empty lists. */

export interface Translation {
  id: string;
  value: string;
}

export type AssociationItem = Record<string, string>;
export type Associations = Record<string, AssociationItem[]>;

export interface Row {
  id: number;
  associations?: Associations;
  [field: string]: unknown;
}

export function isTranslated(value: unknown): value is Translation[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'value' in item);
}

/** Money and amounts are handled as integer micro-units (1e-6) and shown with 6 decimals, like DECIMAL(20,6). */
export function micros(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(Math.round(value));
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, '0')}`;
}

/** Rounds micro-units to whole cents (PrestaShop rounds order totals to the currency precision, 2). */
export function roundToCents(microUnits: number): number {
  return Math.round(microUnits / 10_000) * 10_000;
}

/** A decimal string → micro-units. */
export function parseMicros(text: string): number {
  return Math.round(Number(text) * 1e6);
}

export function cloneRow(row: Row): Row {
  return structuredClone(row);
}

/** A scalar field value as text (numbers and booleans as PHP would print them; anything else as JSON). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null || value === undefined ? '' : JSON.stringify(value);
}
