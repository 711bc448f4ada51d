import type { Logger, Telemetry } from '../telemetry/types';
import { noTelemetry, silentLogger } from '../telemetry/types';
import type { CallOptions, DateField, DatedId, DateWindow, KeysetQuery, Page, ReferenceResource, RejectedRecord, ShopApi, ShopNow, ShopRecord } from './api';
import { EnvelopeError, listRows, singleRow } from './envelope';
import { PrestaShopError, type PrestaShopFailure } from './errors';
import { checkKeysetQuery, highestIdOf, keysetPages, type KeysetPorts, type RequestOptions } from './keyset';
import { anyOf, interval, listParams, InvalidQueryError, type Filter, type ListQuery } from './query';
import { isShopResource, RESOURCES, type ShopResource } from './resources';
import { idOnlySchema, parseRows, type ParsedRows } from './schemas';
import { assertTimeZone, isShopLocalTime, toShopLocal } from './shopTime';
import { createTransport, defaultRetryPolicy, type RequestSpec, type RetryPolicy, type ShopResponse, type Transport } from './transport';

export interface ShopApiOptions {
  /** Shop root, e.g. https://shop.example/ ; the client appends /api/. */
  baseUrl: string;
  /** Resolved on every request (so a rotated secret is picked up); never logged. */
  apiKey: () => Promise<string>;
  /** Overrides the shop's PS_TIMEZONE (setting PRESTASHOP_TIMEZONE). */
  timeZone?: string;
  requestTimeoutMs: number;
  /** When set, listAll reads reference tables in keyset pages of this size (else in one request). */
  pageSize?: number;
  /** Multishop: resources listed per shop get filter[id_shop]=[N], the others id_shop=N (resources.ts). */
  shopId?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  log?: Logger;
  telemetry?: Telemetry;
  /** [0, 1) for backoff jitter; Math.random by default. */
  random?: () => number;
}

/** ShopApi plus the general list call (display, filters, sort, limit) for anything the sync does not cover. */
export interface PrestaShopClient extends ShopApi {
  /** Any list resource. Rows of the known resources are validated by their schema with display=full; others need an id. */
  list(resource: string, query: ListQuery, options?: CallOptions): Promise<ParsedRows>;
  /** The shop's time zone: the override, else PS_TIMEZONE (read once, then cached). */
  timeZone(options?: CallOptions): Promise<string>;
}

const REFERENCES: ReadonlySet<string> = new Set<ReferenceResource>(['order_states', 'currencies', 'languages', 'configurations']);

function checkPositiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidQueryError(`${what} must be a positive integer, got ${value}`);
}

function checkResource(resource: string): asserts resource is ShopResource {
  if (!isShopResource(resource)) throw new InvalidQueryError(`Not a resource the client reads: "${resource}"`);
}

export function createShopApi(options: ShopApiOptions): PrestaShopClient {
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  checkPositiveInt(options.requestTimeoutMs, 'requestTimeoutMs');
  if (options.shopId !== undefined) checkPositiveInt(options.shopId, 'shopId');
  if (options.pageSize !== undefined) checkPositiveInt(options.pageSize, 'pageSize');
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  checkPositiveInt(retry.maxAttempts, 'retry.maxAttempts');
  const log = options.log ?? silentLogger;
  const telemetry = options.telemetry ?? noTelemetry;
  const transport: Transport = createTransport({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    requestTimeoutMs: options.requestTimeoutMs,
    retry,
    fetch: options.fetch ?? globalThis.fetch,
    log,
    telemetry,
    random: options.random ?? Math.random,
  });
  let cachedTimeZone: string | undefined = options.timeZone;

  /** A single record (resource/id) takes only the id_shop parameter: list filters do not apply to it. */
  function scoped(resource: string, query: ListQuery, single = false): ListQuery {
    const scope = isShopResource(resource) ? RESOURCES[resource].shopScope : 'none';
    if (options.shopId === undefined || scope === 'none' || (single && scope === 'filter')) return query;
    if (scope === 'filter') return { ...query, filters: { ...query.filters, id_shop: anyOf(options.shopId) } };
    return { ...query, params: { ...query.params, id_shop: options.shopId } };
  }

  function spec(resource: string, query: ListQuery, call: RequestOptions = {}, path = resource): RequestSpec {
    return {
      resource,
      path,
      params: listParams(scoped(resource, query, path !== resource)),
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.gate ? { gate: call.gate } : {}),
      ...(call.retry500 === false ? { retry500: false } : {}),
      ...(call.retryTimeouts === false ? { retryTimeouts: false } : {}),
    };
  }

  function failure(kind: PrestaShopFailure, message: string, s: RequestSpec, status: number | null, cause?: unknown): PrestaShopError {
    const url = transport.describeUrl(s);
    return new PrestaShopError(`PrestaShop ${s.resource}: ${message} (${url})`, { kind, status, resource: s.resource, url, retryable: false, ...(cause === undefined ? {} : { cause }) });
  }

  function listKey(resource: string): string {
    return isShopResource(resource) ? RESOURCES[resource].listKey : resource;
  }

  async function rowsOf(s: RequestSpec): Promise<unknown[]> {
    const response = await transport.get(s);
    try {
      return listRows(response.body, listKey(s.resource));
    } catch (error) {
      throw failure('malformed', `unexpected answer: ${error instanceof EnvelopeError ? error.message : String(error)}`, s, response.status, error);
    }
  }

  const ports: KeysetPorts = {
    listRows: (resource, query, call) => rowsOf(spec(resource, query, call)),
    describeUrl: (resource, query) => transport.describeUrl(spec(resource, query)),
    log,
    telemetry,
  };

  async function list(resource: string, query: ListQuery, call: CallOptions = {}): Promise<ParsedRows> {
    if (!/^[a-z_]+$/.test(resource)) throw new InvalidQueryError(`Invalid resource name "${resource}"`);
    const schema = query.display === 'full' && isShopResource(resource) ? RESOURCES[resource].schema : idOnlySchema;
    return parseRows(await rowsOf(spec(resource, query, call)), schema);
  }

  function keyset(q: KeysetQuery): AsyncGenerator<Page> {
    return keysetPages(ports, q);
  }

  async function highestId(q: Omit<KeysetQuery, 'pageSize' | 'display'>): Promise<number | null> {
    checkKeysetQuery(q);
    return highestIdOf(ports, q);
  }

  /** One dated record: display=[id,<field>] with the given filters and sort, limit 1. */
  async function datedProbe(resource: ShopResource, field: DateField, filters: Record<string, Filter>, direction: 'ASC' | 'DESC', call: CallOptions): Promise<DatedId | null> {
    const query: ListQuery = { display: ['id', field], filters, sort: [{ field, direction }, { field: 'id', direction }], limit: 1 };
    const s = spec(resource, query, call);
    const rows = await rowsOf(s);
    const [row] = rows as { id?: unknown; [key: string]: unknown }[];
    if (row === undefined) return null;
    const id = parseRows([row], idOnlySchema).records[0]?.id;
    const date = row[field];
    if (id === undefined || typeof date !== 'string' || !isShopLocalTime(date)) {
      throw failure('malformed', `the ${field} probe gave an invalid row ${JSON.stringify(row).slice(0, 200)}`, s, 200);
    }
    return { id, date };
  }

  function newestChange(resource: ShopResource, field: DateField, call: CallOptions = {}): Promise<DatedId | null> {
    checkResource(resource);
    return datedProbe(resource, field, {}, 'DESC', call);
  }

  function oldestChangeBetween(resource: ShopResource, window: DateWindow, call: CallOptions = {}): Promise<DatedId | null> {
    checkResource(resource);
    checkKeysetQuery({ resource, window, afterId: 0 });
    return datedProbe(resource, window.field, { [window.field]: interval(window.lo, window.hi) }, 'ASC', call);
  }

  async function fetchById(resource: ShopResource, id: number, call: CallOptions = {}): Promise<ShopRecord | null> {
    checkResource(resource);
    checkPositiveInt(id, 'id');
    const s: RequestSpec = { ...spec(resource, { display: 'full' }, call, `${resource}/${id}`), allowEmpty404: true };
    let response: ShopResponse;
    try {
      response = await transport.get(s);
    } catch (error) {
      // 131: the id exists but is not linked to this shop, which for this shop means it does not exist.
      if (error instanceof PrestaShopError && error.status === 404 && error.codes.includes(131)) return null;
      throw error;
    }
    if (response.body === null) return null;
    let row: unknown;
    try {
      row = singleRow(response.body, RESOURCES[resource].listKey, RESOURCES[resource].singular);
    } catch (error) {
      throw failure('malformed', `unexpected answer: ${error instanceof EnvelopeError ? error.message : String(error)}`, s, response.status, error);
    }
    if (row === null) return null;
    const parsed = parseRows([row], RESOURCES[resource].schema);
    const bad = parsed.rejected[0];
    if (bad) throw failure('invalid', `record ${id}: ${bad.reason}`, s, response.status);
    const record = parsed.records[0] as ShopRecord;
    if (record.id !== id) throw failure('malformed', `record ${id}: the shop answered with id ${record.id}`, s, response.status);
    return record;
  }

  async function listAll(resource: ReferenceResource, call: CallOptions = {}): Promise<{ records: ShopRecord[]; rejected: RejectedRecord[] }> {
    if (!REFERENCES.has(resource)) throw new InvalidQueryError(`Not a reference resource: "${resource}"`);
    if (options.pageSize === undefined) return list(resource, { display: 'full' }, call);
    // Paged by keyset on id, so no answer holds more than pageSize rows.
    const all: ParsedRows = { records: [], rejected: [] };
    for await (const page of keyset({ resource, afterId: 0, pageSize: options.pageSize, display: 'full', ...call })) {
      all.records.push(...page.records);
      all.rejected.push(...page.rejected);
    }
    return all;
  }

  const TIMEZONE_QUERY: ListQuery = { display: ['id', 'name', 'value'], filters: { name: anyOf('PS_TIMEZONE') } };

  async function clockCall(call: CallOptions): Promise<{ response: ShopResponse; s: RequestSpec }> {
    const s = spec('configurations', TIMEZONE_QUERY, call);
    return { response: await transport.get(s), s };
  }

  function timeZoneFrom(response: ShopResponse, s: RequestSpec): string {
    let rows: unknown[];
    try {
      rows = listRows(response.body, 'configurations');
    } catch (error) {
      throw failure('malformed', `unexpected answer: ${error instanceof EnvelopeError ? error.message : String(error)}`, s, response.status, error);
    }
    const value = rows
      .map((row) => (typeof row === 'object' && row !== null ? (row as { name?: unknown; value?: unknown }) : {}))
      .find((row) => row.name === 'PS_TIMEZONE')?.value;
    if (typeof value !== 'string' || value === '') throw failure('invalid', 'PS_TIMEZONE is missing; set PRESTASHOP_TIMEZONE to the shop time zone', s, response.status);
    try {
      assertTimeZone(value);
    } catch (error) {
      throw failure('invalid', `PS_TIMEZONE "${value}" is not a known IANA time zone; set PRESTASHOP_TIMEZONE`, s, response.status, error);
    }
    return value;
  }

  async function timeZone(call: CallOptions = {}): Promise<string> {
    if (cachedTimeZone !== undefined) return cachedTimeZone;
    const { response, s } = await clockCall(call);
    cachedTimeZone = timeZoneFrom(response, s);
    return cachedTimeZone;
  }

  async function now(call: CallOptions = {}): Promise<ShopNow> {
    const { response, s } = await clockCall(call);
    const header = response.headers.get('access-time');
    if (header === null || !/^\d+$/.test(header.trim())) {
      throw failure('malformed', `no usable Access-Time header (got ${header === null ? 'none' : JSON.stringify(header)})`, s, response.status);
    }
    const zone = cachedTimeZone ?? timeZoneFrom(response, s);
    cachedTimeZone = zone;
    const utc = new Date(Number(header.trim()) * 1000);
    return { utc, local: toShopLocal(utc, zone), timeZone: zone };
  }

  return { keysetPages: keyset, highestId, newestChange, oldestChangeBetween, fetchById, listAll, now, list, timeZone };
}
