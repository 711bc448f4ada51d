import { isShopLocalTime } from './shopTime';

/**
 * The list grammar of the webservice (docs/prestashop-webservice.md §4), built as query parameters. Everything that the shop would
 * silently misread (a date in another format, a bound outside the interval pattern) is rejected here instead.
 */

export type FilterValue = string | number;

export type Filter =
  | { kind: 'equals'; value: FilterValue }
  | { kind: 'interval'; lo: FilterValue; hi: FilterValue }
  | { kind: 'anyOf'; values: readonly FilterValue[] }
  | { kind: 'greaterThan'; value: FilterValue }
  | { kind: 'lessThan'; value: FilterValue };

export const equals = (value: FilterValue): Filter => ({ kind: 'equals', value });
/** `[lo,hi]`: SQL BETWEEN, inclusive on both ends. */
export const interval = (lo: FilterValue, hi: FilterValue): Filter => ({ kind: 'interval', lo, hi });
/** `[a|b]`. */
export const anyOf = (...values: FilterValue[]): Filter => ({ kind: 'anyOf', values });
/** `>[v]`, strict (the webservice has no >=). */
export const greaterThan = (value: FilterValue): Filter => ({ kind: 'greaterThan', value });
/** `<[v]`, strict. */
export const lessThan = (value: FilterValue): Filter => ({ kind: 'lessThan', value });

export interface SortKey {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface ListQuery {
  /** 'full', a list of fields, or nothing (ids only). */
  display?: 'full' | readonly string[];
  filters?: Readonly<Record<string, Filter>>;
  sort?: readonly SortKey[];
  limit?: number | { offset: number; count: number };
  /** Other parameters, passed as they are (e.g. id_shop, language). */
  params?: Readonly<Record<string, string | number>>;
}

const DATE_FIELDS = new Set(['date_add', 'date_upd']);
const FIELD_NAME = /^[a-z_][a-z0-9_]*$/i;
const INTERVAL_BOUND = /^[0-9.:\-\s]+$/;

export class InvalidQueryError extends Error {
  override name = 'InvalidQueryError';
}

/** date_add/date_upd need date=1; these and other date columns take only 'YYYY-MM-DD HH:MM:SS'. */
function isDateField(field: string): boolean {
  return DATE_FIELDS.has(field) || /(^date_|_date$)/.test(field);
}

function checkField(field: string, where: string): void {
  if (!FIELD_NAME.test(field)) throw new InvalidQueryError(`Invalid ${where} field name "${field}"`);
}

function checkValue(field: string, value: FilterValue, inInterval: boolean): string {
  const text = String(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidQueryError(`filter[${field}]: not a finite number`);
  if (text === '') throw new InvalidQueryError(`filter[${field}]: empty value (the shop answers error 33)`);
  if (/[[\]|]/.test(text) || (inInterval && text.includes(','))) throw new InvalidQueryError(`filter[${field}]: value "${text}" contains a reserved character`);
  if (isDateField(field) && !isShopLocalTime(text)) {
    throw new InvalidQueryError(`filter[${field}]: "${text}" is not a date 'YYYY-MM-DD HH:MM:SS' (the shop would silently match nothing)`);
  }
  if (inInterval && !INTERVAL_BOUND.test(text)) {
    throw new InvalidQueryError(`filter[${field}]: interval bound "${text}" may hold only digits, '.', ':', '-' and spaces (else the shop silently compares for equality)`);
  }
  return text;
}

function renderFilter(field: string, filter: Filter): string {
  switch (filter.kind) {
    case 'equals':
      return `[${checkValue(field, filter.value, false)}]`;
    case 'interval':
      return `[${checkValue(field, filter.lo, true)},${checkValue(field, filter.hi, true)}]`;
    case 'anyOf':
      if (filter.values.length === 0) throw new InvalidQueryError(`filter[${field}]: empty set`);
      return `[${filter.values.map((v) => checkValue(field, v, false)).join('|')}]`;
    case 'greaterThan':
      return `>[${checkValue(field, filter.value, false)}]`;
    case 'lessThan':
      return `<[${checkValue(field, filter.value, false)}]`;
  }
}

function checkCount(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidQueryError(`${what} must be a non-negative integer, got ${value}`);
  return value;
}

/** The query parameters of a list call, always with output_format=JSON (upper case; lower case gives XML). */
export function listParams(query: ListQuery): [string, string][] {
  const params: [string, string][] = [];
  let needsDate = false;
  if (query.display !== undefined) {
    if (query.display === 'full') params.push(['display', 'full']);
    else {
      if (query.display.length === 0) throw new InvalidQueryError('display: empty field list');
      query.display.forEach((f) => checkField(f, 'display'));
      params.push(['display', `[${query.display.join(',')}]`]);
    }
  }
  for (const [field, filter] of Object.entries(query.filters ?? {})) {
    checkField(field, 'filter');
    if (DATE_FIELDS.has(field)) needsDate = true;
    params.push([`filter[${field}]`, renderFilter(field, filter)]);
  }
  if (query.sort && query.sort.length > 0) {
    for (const key of query.sort) {
      checkField(key.field, 'sort');
      if (DATE_FIELDS.has(key.field)) needsDate = true;
    }
    params.push(['sort', `[${query.sort.map((k) => `${k.field}_${k.direction}`).join(',')}]`]);
  }
  if (query.limit !== undefined) {
    const limit = query.limit;
    params.push(['limit', typeof limit === 'number' ? String(checkCount(limit, 'limit')) : `${checkCount(limit.offset, 'offset')},${checkCount(limit.count, 'limit')}`]);
  }
  for (const [name, value] of Object.entries(query.params ?? {})) {
    if (name === 'ws_key' || name === 'output_format' || name === 'io_format') throw new InvalidQueryError(`Parameter ${name} is set by the client`);
    params.push([name, String(value)]);
  }
  if (needsDate) params.push(['date', '1']);
  params.push(['output_format', 'JSON']);
  return params;
}
