import { Errors } from '../errors';
import type { ResourceDef } from '../resources';
import type { RenderSpec } from '../render/spec';

export type FilterOp =
  | { op: 'eq'; values: string[] }
  | { op: 'between'; lo: string; hi: string }
  | { op: 'gt'; value: string }
  | { op: 'lt'; value: string }
  | { op: 'ne'; values: string[] }
  | { op: 'like'; pattern: string };

export interface Filter {
  field: string;
  i18n: boolean;
  op: FilterOp;
}

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface ListQuery {
  /** null: ids only (no display parameter). */
  render: RenderSpec | null;
  displayPresent: boolean;
  filters: Filter[];
  sort: SortKey[] | null;
  /** null: no LIMIT clause at all. */
  limit: { offset: number; count: number } | null;
}

/** Query parameters as PHP sees them: the last value of a name wins; filter[x] collected by field. */
export interface PhpParams {
  get(name: string): string | undefined;
  filters: Map<string, string>;
}

export function phpParams(search: URLSearchParams): PhpParams {
  const last = new Map<string, string>();
  const filters = new Map<string, string>();
  for (const [key, value] of search) {
    const m = /^filter\[([^\]]*)\]$/.exec(key);
    if (m) filters.set(m[1] ?? '', value);
    else last.set(key, value);
  }
  return { get: (name) => last.get(name), filters };
}

/** PHP's (int) cast of a string: leading whitespace, optional sign, digits; anything else gives 0. */
export function phpInt(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1] ?? '0', 10) : 0;
}

/** PHP truthiness of a query string value. */
export function phpTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0';
}

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INTERVAL = /^([\d.:\-\s]+),([\d.:\-\s]+)$/;

/** SQLUtils::getSQLRetrieveFilter, as a structure instead of SQL. null: the filter adds no condition. */
export function parseFilterValue(value: string): FilterOp | null {
  const m = /^(.*)\[(.*)\](.*)$/.exec(value);
  if (!m) return { op: 'eq', values: [value] };
  const [, pre = '', inner = '', post = ''] = m;
  if (pre === '%' || post === '%') return { op: 'like', pattern: `${pre}${inner}${post}` };
  if (pre === '' && post === '') {
    if (inner.indexOf('|') > 0) return { op: 'eq', values: inner.split('|') };
    const interval = INTERVAL.exec(inner);
    if (interval) {
      const bounds = [interval[1] ?? '', interval[2] ?? ''];
      // PHP sort(): numeric strings compare as numbers, others as strings.
      bounds.sort((a, b) => (NUMERIC.test(a) && NUMERIC.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
      return { op: 'between', lo: bounds[0] ?? '', hi: bounds[1] ?? '' };
    }
    return { op: 'eq', values: [inner] };
  }
  if (pre === '>') return { op: 'gt', value: inner };
  if (pre === '<') return { op: 'lt', value: inner };
  if (pre === '!') return { op: 'ne', values: inner.split('|') };
  return null;
}

const DATE_FEATURE = new Set(['date_add', 'date_upd']);

export function filterableFields(def: ResourceDef, dateEnabled: boolean): { plain: string[]; i18n: string[] } {
  const plain: string[] = [];
  const i18n: string[] = [];
  for (const field of def.fields) {
    if (!dateEnabled && DATE_FEATURE.has(field)) continue;
    (def.i18n.has(field) ? i18n : plain).push(field);
  }
  return { plain, i18n };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

export function parseDisplay(def: ResourceDef, display: string | undefined, languages: readonly number[]): RenderSpec | null {
  if (display === undefined) return null;
  if (display === 'full') return { fields: null, associations: 'all', languages };
  const allFields = [...def.fields];
  const m = /^\[(.*)\]$/s.exec(display);
  if (!m) throw Errors.displaySyntax(allFields);
  const fields = new Set<string>();
  const associations = new Map<string, Set<string> | null>();
  for (const item of splitTopLevel(m[1] ?? '')) {
    const sub = /^([^[\]]*)\[(.*)\]$/.exec(item);
    const name = (sub ? sub[1] : item) ?? '';
    const assoc = def.associations.find((a) => a.name === name);
    if (assoc) {
      if (!sub) {
        associations.set(name, null);
        continue;
      }
      const wanted = new Set<string>();
      for (const field of (sub[2] ?? '').split(',')) {
        if (!assoc.fields.includes(field)) throw Errors.displayField(field, assoc.fields);
        wanted.add(field);
      }
      associations.set(name, wanted);
      continue;
    }
    if (sub || !def.fields.includes(name)) throw Errors.displayField(name, allFields);
    fields.add(name);
  }
  return { fields, associations, languages };
}

export function parseLanguages(value: string | undefined, active: readonly number[]): number[] {
  if (value === undefined) return [...active];
  const m = /^\[(.*)\]$/.exec(value);
  const inner = m ? (m[1] ?? '') : value;
  let ids: number[];
  const range = /^(\d+),(\d+)$/.exec(inner);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])].sort((x, y) => x - y) as [number, number];
    ids = active.filter((id) => id >= a && id <= b);
  } else {
    ids = inner.split('|').map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  }
  if (ids.length === 0 || ids.some((id) => !active.includes(id))) throw Errors.language(value);
  return ids;
}

export function parseSort(def: ResourceDef, value: string | undefined, dateEnabled: boolean): SortKey[] | null {
  if (value === undefined) return null;
  const m = /^\[(.*)\]$/.exec(value);
  const items = m ? (m[1] ?? '').split(',') : [value];
  const { plain, i18n } = filterableFields(def, dateEnabled);
  return items.map((item) => {
    const at = item.lastIndexOf('_');
    const field = at >= 0 ? item.slice(0, at) : '';
    const direction = at >= 0 ? item.slice(at + 1).toUpperCase() : '';
    if (at < 0 || (direction !== 'ASC' && direction !== 'DESC')) throw Errors.sortSyntax();
    if (!plain.includes(field) && !i18n.includes(field)) throw Errors.sortField(plain, i18n);
    return { field, desc: direction === 'DESC' };
  });
}

export function parseLimit(value: string | undefined): { offset: number; count: number } | null {
  if (value === undefined) return null;
  const parts = value.split(',');
  if (parts.length > 2) throw Errors.limitSyntax();
  if (parts.length === 1) return { offset: 0, count: phpInt(parts[0] ?? '') };
  return { offset: phpInt(parts[0] ?? ''), count: phpInt(parts[1] ?? '') };
}

export function parseFilters(def: ResourceDef, raw: Map<string, string>, dateEnabled: boolean): Filter[] {
  const { plain, i18n } = filterableFields(def, dateEnabled);
  const filters: Filter[] = [];
  for (const [field, value] of raw) {
    const isI18n = value !== '' && i18n.includes(field);
    if (!plain.includes(field) && !isI18n) throw Errors.unknownFilter(field, plain);
    if (value === '') throw Errors.emptyFilter(field);
    if (def.getters.has(field)) throw Errors.dynamicFilter(field);
    const op = parseFilterValue(value);
    if (op) filters.push({ field, i18n: isI18n, op });
  }
  return filters;
}

/**
 * The list parameters manageFilters() checks, after the language: filters, sort, limit, then display (1.7); 8.1
 * checks display right after the filters (setFieldsToDisplay is called from inside manageFilters).
 */
export function parseListQuery(
  def: ResourceDef,
  params: PhpParams,
  languages: readonly number[],
  displayAfterFilters = false,
): ListQuery {
  const dateEnabled = phpTruthy(params.get('date'));
  const display = params.get('display');
  const filters = parseFilters(def, params.filters, dateEnabled);
  const early = displayAfterFilters ? parseDisplay(def, display, languages) : undefined;
  const sort = parseSort(def, params.get('sort'), dateEnabled);
  const limit = parseLimit(params.get('limit'));
  const render = early === undefined ? parseDisplay(def, display, languages) : early;
  return { render, displayPresent: display !== undefined, filters, sort, limit };
}
