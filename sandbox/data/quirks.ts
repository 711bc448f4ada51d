import { hash32, Stream, unit } from '../random';
import { isTranslated, type Row } from '../record';
import { ENTITY_RESOURCES, type EntityName } from '../resources';
import type { Shop } from '../shop';

/**
 * Bad data real shops hold and send the way PHP's json_encode does: text with a NUL or half an emoji, dates
 * MySQL keeps under a relaxed sql_mode, a money column with text in it. Which records carry one is a pure
 * function of (seed, resource, id), like the rest of the generated shop. id, date_add and date_upd are never
 * touched (the sync relies on them), and order totals stay consistent with their lines.
 */

export interface QuirkOptions {
  /** Share (0..1) of customers, orders and products with bad text. Default 0. */
  badTextShare?: number;
  /** Share (0..1) of customers and orders with an impossible date or a non-numeric money value. Default 0. */
  badDateShare?: number;
}

export type QuirkKind =
  | 'nul-character'
  | 'unpaired-surrogate'
  | 'zero-day-date'
  | 'zero-month-date'
  | 'impossible-date'
  | 'non-numeric-money';

export interface QuirkEntry {
  resource: EntityName;
  id: number;
  kind: QuirkKind;
  field: string;
  /** For a translatable field: the language whose text carries it. */
  language?: number;
}

export interface QuirkShares {
  badTextShare: number;
  badDateShare: number;
}

export function quirkShares(options: QuirkOptions | undefined): QuirkShares {
  const share = (value: number | undefined, name: string): number => {
    const n = value ?? 0;
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`Sandbox quirks.${name} must be a share between 0 and 1`);
    return n;
  };
  return { badTextShare: share(options?.badTextShare, 'badTextShare'), badDateShare: share(options?.badDateShare, 'badDateShare') };
}

const TAG: Readonly<Record<EntityName, number>> = { customers: 1, orders: 2, products: 3 };

interface Planned {
  kind: QuirkKind;
  field: string;
}

/** Which quirks the generator gives a record (without building the record). */
export function plannedQuirks(shares: QuirkShares, seed: number, resource: EntityName, id: number): Planned[] {
  const u = (slot: number): number => unit(seed, Stream.quirks, TAG[resource], id, slot);
  const out: Planned[] = [];
  if (shares.badTextShare > 0 && u(1) < shares.badTextShare) {
    if (resource === 'customers') out.push({ kind: 'nul-character', field: 'note' });
    if (resource === 'orders') out.push({ kind: 'unpaired-surrogate', field: u(2) < 0.5 ? 'gift_message' : 'note' });
    if (resource === 'products') out.push({ kind: 'unpaired-surrogate', field: 'name' });
  }
  if (shares.badDateShare > 0 && u(3) < shares.badDateShare) {
    const first = u(4) < 0.5;
    if (resource === 'customers') out.push(first ? { kind: 'zero-day-date', field: 'birthday' } : { kind: 'zero-month-date', field: 'newsletter_date_add' });
    if (resource === 'orders') out.push(first ? { kind: 'impossible-date', field: 'invoice_date' } : { kind: 'non-numeric-money', field: 'total_wrapping_tax_excl' });
  }
  return out;
}

/** Half of 😀 (U+1F600 is \ud83d\ude00 in UTF-16): what a cut-off emoji leaves behind. */
const HALF_EMOJI = '\ud83d';
const IMPOSSIBLE_DAYS = ['02-30', '02-31', '04-31', '06-31', '09-31', '11-31'] as const;

/** Plants the planned quirks in a freshly generated record. */
export function applyQuirks(shares: QuirkShares, seed: number, resource: EntityName, row: Row): void {
  const h = (slot: number): number => hash32(seed, Stream.quirks, TAG[resource], row.id, slot);
  const year = typeof row.date_add === 'string' ? row.date_add.slice(0, 4) : '2020';
  const time = typeof row.date_add === 'string' ? row.date_add.slice(11, 19) : '10:00:00';
  for (const { kind, field } of plannedQuirks(shares, seed, resource, row.id)) {
    switch (kind) {
      case 'nul-character':
        row[field] = 'Call before delivery\u0000 (side door)';
        break;
      case 'unpaired-surrogate': {
        const value = row[field];
        if (isTranslated(value)) {
          // One language only: the last one the record has.
          row[field] = value.map((t, i) => (i === value.length - 1 ? { id: t.id, value: `${t.value} ${HALF_EMOJI}` } : t));
        } else {
          row[field] = field === 'gift_message' ? `Happy birthday! ${HALF_EMOJI}` : `Leave it with the neighbours ${HALF_EMOJI}`;
        }
        break;
      }
      case 'zero-day-date':
        row[field] = `${1950 + (h(10) % 50)}-${String(1 + (h(11) % 12)).padStart(2, '0')}-00`;
        break;
      case 'zero-month-date':
        row[field] = `${year}-00-${String(1 + (h(12) % 28)).padStart(2, '0')} 00:00:00`;
        break;
      case 'impossible-date':
        row[field] = `${year}-${IMPOSSIBLE_DAYS[h(13) % IMPOSSIBLE_DAYS.length] ?? '02-30'} ${time}`;
        break;
      case 'non-numeric-money':
        row[field] = 'n/a';
        break;
    }
  }
}

const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function textKinds(text: string): QuirkKind[] {
  const kinds: QuirkKind[] = [];
  if (text.includes('\u0000')) kinds.push('nul-character');
  if (UNPAIRED.test(text)) kinds.push('unpaired-surrogate');
  return kinds;
}

function dateKind(text: string): QuirkKind | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year === 0) return null;
  if (month === 0) return 'zero-month-date';
  if (day === 0) return 'zero-day-date';
  const date = new Date(Date.UTC(year, month - 1, day));
  return month > 12 || date.getUTCMonth() !== month - 1 ? 'impossible-date' : null;
}

/** The fields the generator plants quirks in, by what they hold. */
const QUIRK_FIELDS: Readonly<Record<EntityName, ReadonlyArray<readonly [string, 'text' | 'date' | 'money']>>> = {
  customers: [['note', 'text'], ['birthday', 'date'], ['newsletter_date_add', 'date']],
  orders: [['note', 'text'], ['gift_message', 'text'], ['invoice_date', 'date'], ['total_wrapping_tax_excl', 'money']],
  products: [['name', 'text']],
};

/** The quirks a record holds now in those fields, however they got there (generated or planted by hand). */
export function detectQuirks(resource: EntityName, row: Row): QuirkEntry[] {
  const out: QuirkEntry[] = [];
  for (const [field, holds] of QUIRK_FIELDS[resource]) {
    const value = row[field];
    if (holds === 'text' && isTranslated(value)) {
      for (const t of value) for (const kind of textKinds(t.value)) out.push({ resource, id: row.id, kind, field, language: Number(t.id) });
      continue;
    }
    if (typeof value !== 'string') continue;
    if (holds === 'text') for (const kind of textKinds(value)) out.push({ resource, id: row.id, kind, field });
    const kind = holds === 'date' ? dateKind(value) : holds === 'money' && !DECIMAL.test(value) ? 'non-numeric-money' : null;
    if (kind) out.push({ resource, id: row.id, kind, field });
  }
  return out;
}

/**
 * Every quirk the shop's entity records hold now, by resource and id: the generated ones (records are only
 * built for the ids planned to carry one, so a million orders stay cheap) and any changed record's.
 */
export function listQuirks(shop: Shop): QuirkEntry[] {
  const { seed, quirks } = shop.ctx;
  const out: QuirkEntry[] = [];
  for (const resource of ENTITY_RESOURCES) {
    const table = shop.table(resource);
    for (const id of table.ids()) {
      if (!table.isChanged(id) && plannedQuirks(quirks, seed, resource, id).length === 0) continue;
      const row = table.get(id);
      if (row) out.push(...detectQuirks(resource, row));
    }
  }
  return out;
}
