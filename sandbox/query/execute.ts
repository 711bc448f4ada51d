import { hash32, Stream } from '../random';
import { asText, isTranslated } from '../record';
import type { Table } from '../table';
import { parseNaive } from '../time';
import type { Filter, FilterOp, SortKey } from './parse';

type Kind = 'date' | 'number' | 'string';
type Key = number | string | null;

/** Columns PrestaShop stores as text even when the value looks numeric. */
const TEXT_COLUMNS = new Set([
  'reference', 'ean13', 'isbn', 'upc', 'mpn', 'secure_key', 'passwd', 'email', 'firstname', 'lastname', 'company',
  'siret', 'ape', 'website', 'note', 'payment', 'module', 'gift_message', 'name', 'value', 'iso_code',
  'numeric_iso_code', 'color', 'template', 'module_name', 'location', 'supplier_reference', 'shipping_number',
  'reset_password_token', 'ip_registration_newsletter', 'names', 'symbol', 'pattern', 'locale', 'language_code',
]);
const NUMBER_LIKE = /^-?\d+(\.\d+)?$/;

function kindOf(dates: ReadonlySet<string>, field: string, sample: unknown): Kind {
  if (dates.has(field)) return 'date';
  if (field === 'id' || field.startsWith('id_')) return 'number';
  if (typeof sample === 'string' && NUMBER_LIKE.test(sample) && !TEXT_COLUMNS.has(field)) return 'number';
  return 'string';
}

/** MySQL's string → number conversion: the numeric prefix, 0 when there is none. */
function mysqlNumber(text: string): number {
  const n = Number.parseFloat(text);
  return Number.isNaN(n) ? 0 : n;
}

function toKey(kind: Kind, value: string | number): Key {
  if (kind === 'number') return typeof value === 'number' ? value : mysqlNumber(value);
  if (kind === 'date') {
    const naive = parseNaive(String(value));
    return Number.isNaN(naive) ? null : naive;
  }
  // utf8 *_general_ci: case-insensitive, trailing spaces ignored.
  return String(value).toLowerCase().replace(/ +$/, '');
}

function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

/** A filter compiled for one kind of column: literals are converted once, not per row. */
function compile(kind: Kind, op: FilterOp): (value: string | number) => boolean {
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

export interface SelectOptions {
  filters: readonly Filter[];
  sort: readonly SortKey[] | null;
  limit: { offset: number; count: number } | null;
  languages: readonly number[];
  seed: number;
}

/**
 * SELECT DISTINCT id FROM table WHERE filters [ORDER BY sort] [LIMIT]: without ORDER BY the order is a seeded
 * scramble (like MySQL, it is not by id), and ties in ORDER BY are scrambled too.
 */
export function selectIds(table: Table, options: SelectOptions): number[] {
  const { filters, sort, limit, languages, seed } = options;
  if (limit && (limit.count <= 0 || limit.offset < 0)) return [];
  const def = table.def;
  // Arrays when the table keeps them: a million-order scan reads them directly.
  const typed = table.typedArrays();
  const alive = typed?.alive;
  const scramble = def.listedById ? (): number => 0 : (id: number): number => hash32(seed, Stream.scramble, id);

  // Values of one field for one id: typed arrays for id and dates, the record otherwise.
  const fast = (field: string, id: number): Key | undefined => {
    if (field === 'id') return id;
    if (field === 'date_upd' && def.dates.has(field)) return typed ? (typed.dateUpd[id] ?? 0) : table.dateUpdOf(id);
    if (field === 'date_add' && def.dates.has(field)) return typed ? (typed.dateAdd[id] ?? 0) : table.dateAddOf(id);
    return undefined;
  };
  const rawValues = (field: string, id: number): Array<string | number> => {
    const value = table.get(id)?.[field];
    if (value === null || value === undefined) return [];
    if (isTranslated(value)) return value.filter((t) => languages.includes(Number(t.id))).map((t) => t.value);
    return [typeof value === 'number' ? value : asText(value)];
  };

  const predicates = filters.map((filter) => {
    const compiled = new Map<Kind, (value: string | number) => boolean>();
    const forKind = (kind: Kind): ((value: string | number) => boolean) => {
      let fn = compiled.get(kind);
      if (!fn) compiled.set(kind, (fn = compile(kind, filter.op)));
      return fn;
    };
    const fastKind: Kind | null =
      filter.field === 'id' ? 'number' : fast(filter.field, 0) !== undefined ? 'date' : null;
    if (fastKind === 'number') {
      const test = forKind('number');
      return (id: number): boolean => test(id);
    }
    if (fastKind === 'date') {
      // Naive seconds are the numeric form of the DATETIME, so compare numbers directly.
      const test = filter.op.op === 'like' ? forKind('date') : compileNaive(filter.op);
      return (id: number): boolean => test(fast(filter.field, id) as number);
    }
    return (id: number): boolean =>
      rawValues(filter.field, id).some((value) => forKind(kindOf(def.dates, filter.field, value))(value));
  });

  // Narrow the id range from id filters (an optimisation only; every predicate still runs).
  let lo = 1;
  let hi = table.maxId;
  for (const filter of filters) {
    if (filter.field !== 'id') continue;
    const op = filter.op;
    if (op.op === 'gt') lo = Math.max(lo, Math.floor(mysqlNumber(op.value)) + 1);
    if (op.op === 'lt') hi = Math.min(hi, Math.ceil(mysqlNumber(op.value)) - 1);
    if (op.op === 'eq') {
      const values = op.values.map(mysqlNumber);
      lo = Math.max(lo, Math.ceil(Math.min(...values)));
      hi = Math.min(hi, Math.floor(Math.max(...values)));
    }
    if (op.op === 'between') {
      lo = Math.max(lo, Math.ceil(mysqlNumber(op.lo)));
      hi = Math.min(hi, Math.floor(mysqlNumber(op.hi)));
    }
  }

  const byIdOnly = sort !== null && sort.length > 0 && sort[0]?.field === 'id';
  const descending = byIdOnly && sort[0]?.desc === true;
  const wanted = limit ? limit.offset + limit.count : Number.POSITIVE_INFINITY;
  const matched: number[] = [];
  const consider = (id: number): boolean => {
    if (alive ? alive[id] !== 1 : !table.has(id)) return true;
    for (const predicate of predicates) if (!predicate(id)) return true;
    matched.push(id);
    // Ordered by id: the scan order is the result order, so stop once the page is full.
    return !(byIdOnly && matched.length >= wanted);
  };
  const narrowed = table.candidates(filters)?.filter((id) => id >= lo && id <= hi);
  if (narrowed) {
    if (descending) narrowed.reverse();
    for (const id of narrowed) if (!consider(id)) break;
  } else if (descending) {
    for (let id = hi; id >= lo; id -= 1) if (!consider(id)) break;
  } else {
    for (let id = lo; id <= hi; id += 1) if (!consider(id)) break;
  }

  let ordered: number[];
  if (byIdOnly) {
    ordered = matched;
  } else {
    const compare = comparator(table, sort ?? [], languages, scramble, fast);
    ordered = limit && wanted <= 5000 ? topK(matched, compare, wanted) : matched.sort(compare);
  }
  return limit ? ordered.slice(limit.offset, limit.offset + limit.count) : ordered;
}

/** A filter on naive seconds (date_add/date_upd typed arrays). */
function compileNaive(op: FilterOp): (value: string | number) => boolean {
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
function compileNumbers(op: FilterOp): (value: string | number) => boolean {
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

function formatKey(naive: number): string {
  if (!Number.isFinite(naive)) return '0000-00-00 00:00:00';
  const iso = new Date(naive * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function comparator(
  table: Table,
  sort: readonly SortKey[],
  languages: readonly number[],
  scramble: (id: number) => number,
  fast: (field: string, id: number) => Key | undefined,
): (a: number, b: number) => number {
  const memo = sort.map(() => new Map<number, Key>());
  const keyOf = (index: number, id: number): Key => {
    const { field } = sort[index]!;
    const f = fast(field, id);
    if (f !== undefined) return f;
    const cache = memo[index]!;
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    let value = table.get(id)?.[field];
    if (isTranslated(value)) value = value.find((t) => Number(t.id) === languages[0])?.value ?? '';
    const key =
      value === null || value === undefined
        ? null
        : toKey(kindOf(table.def.dates, field, value), typeof value === 'number' ? value : asText(value));
    cache.set(id, key);
    return key;
  };
  return (a, b) => {
    for (let i = 0; i < sort.length; i += 1) {
      const c = compareKeys(keyOf(i, a), keyOf(i, b));
      if (c !== 0) return sort[i]!.desc ? -c : c;
    }
    return scramble(a) - scramble(b) || a - b;
  };
}

/** The first k of items under compare, without sorting everything (k small, items up to millions). */
function topK(items: readonly number[], compare: (a: number, b: number) => number, k: number): number[] {
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compare(best[mid]!, item) <= 0) low = mid + 1;
      else high = mid;
    }
    best.splice(low, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
