import { hash32, Stream } from '../random';
import { asText, isTranslated } from '../record';
import type { Table } from '../table';
import { compareKeys, compile, compileNaive, kindOf, mysqlNumber, toKey, type Key, type Kind } from './mysqlValues';
import type { Filter, SortKey } from './parse';

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
