import { parseNaive } from '../time';
import type { FilterOp } from './parse';

/** MySQL's value semantics as the sandbox's queries need them: column kinds, numeric text, keys, and the filter compilers. */

export type Kind = 'date' | 'number' | 'string';
export type Key = number | string | null;

/** Columns PrestaShop stores as text even when the value looks numeric. */
const TEXT_COLUMNS = new Set([
  'reference', 'ean13', 'isbn', 'upc', 'mpn', 'secure_key', 'passwd', 'email', 'firstname', 'lastname', 'company',
  'siret', 'ape', 'website', 'note', 'payment', 'module', 'gift_message', 'name', 'value', 'iso_code',
  'numeric_iso_code', 'color', 'template', 'module_name', 'location', 'supplier_reference', 'shipping_number',
  'reset_password_token', 'ip_registration_newsletter', 'names', 'symbol', 'pattern', 'locale', 'language_code',
]);
const NUMBER_LIKE = /^-?\d+(\.\d+)?$/;

export function kindOf(dates: ReadonlySet<string>, field: string, sample: unknown): Kind {
  if (dates.has(field)) return 'date';
  if (field === 'id' || field.startsWith('id_')) return 'number';
  if (typeof sample === 'string' && NUMBER_LIKE.test(sample) && !TEXT_COLUMNS.has(field)) return 'number';
  return 'string';
}

/** MySQL's string → number conversion: the numeric prefix, 0 when there is none. */
export function mysqlNumber(text: string): number {
  const n = Number.parseFloat(text);
  return Number.isNaN(n) ? 0 : n;
}

export function toKey(kind: Kind, value: string | number): Key {
  if (kind === 'number') return typeof value === 'number' ? value : mysqlNumber(value);
  if (kind === 'date') {
    const naive = parseNaive(String(value));
    return Number.isNaN(naive) ? null : naive;
  }
  // utf8 *_general_ci: case-insensitive, trailing spaces ignored.
  return String(value).toLowerCase().replace(/ +$/, '');
}

export function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

/** A filter compiled for one kind of column: literals are converted once, not per row. */
export function compile(kind: Kind, op: FilterOp): (value: string | number) => boolean {
  const lit = (text: string): Key => toKey(kind, text);
  switch (op.op) {
    case 'eq': {
      const keys = op.values.map(lit);
      return (value) => {
        const v = toKey(kind, value);
        return v !== null && keys.includes(v);
      };
    }
    case 'ne': {
      const keys = op.values.map(lit);
      return (value) => {
        const v = toKey(kind, value);
        return v !== null && keys.every((l) => l !== null && l !== v);
      };
    }
    case 'between': {
      const lo = lit(op.lo);
      const hi = lit(op.hi);
      return (value) => {
        const v = toKey(kind, value);
        return v !== null && lo !== null && hi !== null && compareKeys(v, lo) >= 0 && compareKeys(v, hi) <= 0;
      };
    }
    case 'gt': {
      const l = lit(op.value);
      return (value) => {
        const v = toKey(kind, value);
        return v !== null && l !== null && compareKeys(v, l) > 0;
      };
    }
    case 'lt': {
      const l = lit(op.value);
      return (value) => {
        const v = toKey(kind, value);
        return v !== null && l !== null && compareKeys(v, l) < 0;
      };
    }
    case 'like': {
      const re = likeRegex(op.pattern);
      return (value) => re.test(kind === 'date' && typeof value === 'number' ? formatKey(value) : String(value));
    }
  }
}

/** A filter on naive seconds (date_add/date_upd typed arrays). */
export function compileNaive(op: FilterOp): (value: string | number) => boolean {
  const asNaive = (text: string): string => {
    const n = parseNaive(text);
    return Number.isNaN(n) ? 'NaN' : String(n);
  };
  switch (op.op) {
    case 'eq':
    case 'ne':
      return compileNumbers({ ...op, values: op.values.map(asNaive) });
    case 'between':
      return compileNumbers({ op: 'between', lo: asNaive(op.lo), hi: asNaive(op.hi) });
    case 'gt':
    case 'lt':
      return compileNumbers({ op: op.op, value: asNaive(op.value) });
    case 'like':
      return () => false;
  }
}

/** Numbers compiled from literals where 'NaN' (not a date) must match nothing, as MySQL's NULL would. */
export function compileNumbers(op: FilterOp): (value: string | number) => boolean {
  const num = (text: string): number => (text === 'NaN' ? Number.NaN : text === '-Infinity' ? Number.NEGATIVE_INFINITY : Number(text));
  switch (op.op) {
    case 'eq': {
      const keys = op.values.map(num);
      return (v) => keys.includes(v as number);
    }
    case 'ne': {
      const keys = op.values.map(num);
      return (v) => keys.every((k) => !Number.isNaN(k) && k !== v);
    }
    case 'between': {
      const lo = num(op.lo);
      const hi = num(op.hi);
      return (v) => (v as number) >= lo && (v as number) <= hi;
    }
    case 'gt': {
      const l = num(op.value);
      return (v) => (v as number) > l;
    }
    case 'lt': {
      const l = num(op.value);
      return (v) => (v as number) < l;
    }
    case 'like':
      return () => false;
  }
}

export function formatKey(naive: number): string {
  if (!Number.isFinite(naive)) return '0000-00-00 00:00:00';
  const iso = new Date(naive * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
