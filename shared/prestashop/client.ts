import type { Logger, Telemetry } from '../telemetry/types';
import { noTelemetry, silentLogger } from '../telemetry/types';
import type { EntityResource, Page, ReferenceResource, RejectedRecord, ShopApi, ShopLocalTime, ShopNow, ShopRecord, WindowQuery } from './api';
import { EnvelopeError, listRows, singleRow } from './envelope';
import { PrestaShopError } from './errors';
import { isolatePoison, isSplittable } from './poison';
import { anyOf, greaterThan, interval, listParams, InvalidQueryError, type ListQuery } from './query';
import { idDateSchema, idOnlySchema, parseRows, rowSchemas, singularNames, type ParsedRows, type ShopResource } from './schemas';
import { assertTimeZone, isShopLocalTime, toShopLocal } from './shopTime';
import { createTransport, defaultRetryPolicy, type RequestSpec, type RetryPolicy, type ShopResponse, type Transport } from './transport';
import type { z } from 'zod';

export interface ShopApiOptions {
  /** Shop root, e.g. https://shop.example/ ; the client appends /api/. */
  baseUrl: string;
  /** Resolved on every request (so a rotated secret is picked up); never logged. */
  apiKey: () => Promise<string>;
  /** Overrides the shop's PS_TIMEZONE (setting PRESTASHOP_TIMEZONE). */
  timeZone?: string;
  requestTimeoutMs: number;
  /** When set, listAll reads reference tables in keyset pages of this size (else in one request); windowPages and idPages take theirs from the call. */
  pageSize?: number;
  /** Multishop: customers/orders get filter[id_shop]=[N]; products and reference tables get id_shop=N. */
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
  /**
   * Any list resource (order_details, order_histories, ...). Rows of the known resources are validated by their
   * schema when display=full; every other row only needs an integer id.
   */
  list(resource: string, query: ListQuery, signal?: AbortSignal): Promise<ParsedRows>;
  /** The shop's time zone: the override, else PS_TIMEZONE (read once, then cached). */
  timeZone(signal?: AbortSignal): Promise<string>;
}

const ENTITIES: ReadonlySet<string> = new Set<EntityResource>(['customers', 'products', 'orders']);
const REFERENCES: ReadonlySet<string> = new Set<ReferenceResource>(['order_states', 'currencies', 'languages', 'configurations']);

function checkPositiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidQueryError(`${what} must be a positive integer, got ${value}`);
}

function checkEntity(resource: string): asserts resource is EntityResource {
  if (!ENTITIES.has(resource)) throw new InvalidQueryError(`Not an entity resource: "${resource}"`);
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

  /** Multishop scoping (WEBSERVICE.md §4, §11.8): orders/customers are not shop-scoped lists, the rest are. */
  function shopScope(resource: string): Pick<ListQuery, 'filters' | 'params'> {
    if (options.shopId === undefined || resource === 'configurations') return {};
    if (resource === 'customers' || resource === 'orders') return { filters: { id_shop: anyOf(options.shopId) } };
    return { params: { id_shop: options.shopId } };
  }

  function scoped(resource: string, query: ListQuery): ListQuery {
    const scope = shopScope(resource);
    return { ...query, filters: { ...query.filters, ...scope.filters }, params: { ...query.params, ...scope.params } };
  }

  function spec(resource: string, query: ListQuery, signal?: AbortSignal, extra?: Partial<RequestSpec>): RequestSpec {
    return { resource, path: resource, params: listParams(scoped(resource, query)), ...(signal ? { signal } : {}), ...extra };
  }

  function envelopeRows(response: ShopResponse, s: RequestSpec): unknown[] {
    try {
      return listRows(response.body, s.resource);
    } catch (error) {
      throw envelopeFailure(error, s, response.status);
    }
  }

  function envelopeFailure(error: unknown, s: RequestSpec, status: number): PrestaShopError {
    const message = error instanceof EnvelopeError ? error.message : String(error);
    return new PrestaShopError(`PrestaShop ${s.resource}: unexpected answer: ${message} (${transport.describeUrl(s)})`, {
      kind: 'malformed',
      status,
      resource: s.resource,
      url: transport.describeUrl(s),
      retryable: false,
      cause: error,
    });
  }

  async function fetchRows(s: RequestSpec): Promise<unknown[]> {
    return envelopeRows(await transport.get(s), s);
  }

  async function list(resource: string, query: ListQuery, signal?: AbortSignal): Promise<ParsedRows> {
    if (!/^[a-z_]+$/.test(resource)) throw new InvalidQueryError(`Invalid resource name "${resource}"`);
    const s = spec(resource, query, signal);
    const known = Object.hasOwn(rowSchemas, resource) ? rowSchemas[resource as ShopResource] : undefined;
    const schema: z.ZodType<ShopRecord> = query.display === 'full' && known ? known : idOnlySchema;
    return parseRows(await fetchRows(s), schema);
  }

  function windowQuery(lo: ShopLocalTime, hi: ShopLocalTime, afterId: number, pageSize: number, display: ListQuery['display']): ListQuery {
    return {
      display,
      filters: { date_upd: interval(lo, hi), id: greaterThan(afterId) },
      sort: [{ field: 'id', direction: 'ASC' }],
      limit: pageSize,
    };
  }

  async function windowPage(q: WindowQuery, afterId: number): Promise<Page> {
    const { resource, lo, hi, pageSize, signal } = q;
    const s = spec(resource, windowQuery(lo, hi, afterId, pageSize, 'full'), signal);
    let rows: unknown[];
    try {
      rows = await fetchRows(s);
    } catch (error) {
      if (!isSplittable(error)) throw error;
      log.warn('PrestaShop window page still fails after retries; isolating the failing records', { resource, url: error.url, status: error.status, kind: error.kind, afterId, pageSize });
      return isolatePoison({
        resource,
        failure: error,
        afterId,
        pageSize,
        listIds: async () => {
          const idSpec = spec(resource, windowQuery(lo, hi, afterId, pageSize, ['id']), signal);
          return parseIds(await fetchRows(idSpec), idSpec);
        },
        fetchRange: async (from, to, single) => {
          const rangeSpec = spec(
            resource,
            { display: 'full', filters: { date_upd: interval(lo, hi), id: interval(from, to) }, sort: [{ field: 'id', direction: 'ASC' }] },
            signal,
            single ? {} : { retry500: false },
          );
          return parseRows(await fetchRows(rangeSpec), rowSchemas[resource]);
        },
        log,
        telemetry,
      });
    }
    const parsed = parseRows(rows, rowSchemas[resource]);
    return toPage(parsed, rows.length, pageSize, afterId, s);
  }

  function toPage(parsed: ParsedRows, rowCount: number, pageSize: number, afterId: number, s: RequestSpec): Page {
    const ids = [...parsed.records.map((r) => r.id), ...parsed.rejected.flatMap((r) => (r.id === null ? [] : [r.id]))];
    const lastId = ids.length > 0 ? Math.max(...ids) : null;
    const more = rowCount >= pageSize;
    if (more && (lastId === null || lastId <= afterId)) {
      throw new PrestaShopError(`PrestaShop ${s.resource}: a full page gave no id above ${afterId}; the keyset cannot advance (${transport.describeUrl(s)})`, {
        kind: 'malformed',
        status: 200,
        resource: s.resource,
        url: transport.describeUrl(s),
        retryable: false,
      });
    }
    return { records: parsed.records, rejected: parsed.rejected, lastId, more };
  }

  function parseIds(rows: unknown[], s: RequestSpec): number[] {
    const parsed = parseRows(rows, idOnlySchema);
    if (parsed.rejected.length > 0) {
      throw new PrestaShopError(`PrestaShop ${s.resource}: id list holds an invalid row: ${parsed.rejected[0]?.reason} (${transport.describeUrl(s)})`, {
        kind: 'malformed',
        status: 200,
        resource: s.resource,
        url: transport.describeUrl(s),
        retryable: false,
      });
    }
    return parsed.records.map((r) => r.id);
  }

  async function* windowPages(q: WindowQuery): AsyncGenerator<Page> {
    checkEntity(q.resource);
    for (const [name, value] of [['lo', q.lo], ['hi', q.hi]] as const) {
      if (!isShopLocalTime(value)) throw new InvalidQueryError(`window ${name} "${value}" is not a shop-local time 'YYYY-MM-DD HH:MM:SS'`);
    }
    if (q.lo > q.hi) throw new InvalidQueryError(`window lo ${q.lo} is after hi ${q.hi}`);
    checkPositiveInt(q.pageSize, 'pageSize');
    if (!Number.isInteger(q.afterId) || q.afterId < 0) throw new InvalidQueryError(`afterId must be a non-negative integer, got ${q.afterId}`);
    let afterId = q.afterId;
    for (;;) {
      const page = await windowPage(q, afterId);
      yield page;
      if (!page.more || page.lastId === null) return;
      afterId = page.lastId;
    }
  }

  async function newestDateUpd(resource: EntityResource, signal?: AbortSignal): Promise<{ id: number; dateUpd: ShopLocalTime } | null> {
    checkEntity(resource);
    const s = spec(
      resource,
      { display: ['id', 'date_upd'], sort: [{ field: 'date_upd', direction: 'DESC' }, { field: 'id', direction: 'DESC' }], limit: 1 },
      signal,
    );
    const rows = await fetchRows(s);
    const parsed = parseRows(rows, idDateSchema);
    const bad = parsed.rejected[0];
    if (bad) {
      throw new PrestaShopError(`PrestaShop ${resource}: newest-date probe gave an invalid row: ${bad.reason} (${transport.describeUrl(s)})`, {
        kind: 'malformed',
        status: 200,
        resource,
        url: transport.describeUrl(s),
        retryable: false,
      });
    }
    const row = parsed.records[0];
    return row ? { id: row.id, dateUpd: row.date_upd } : null;
  }

  async function* idPages(resource: EntityResource, opts: { afterId?: number; pageSize: number; signal?: AbortSignal }): AsyncGenerator<number[]> {
    checkEntity(resource);
    checkPositiveInt(opts.pageSize, 'pageSize');
    let afterId = opts.afterId ?? 0;
    if (!Number.isInteger(afterId) || afterId < 0) throw new InvalidQueryError(`afterId must be a non-negative integer, got ${afterId}`);
    for (;;) {
      const s = spec(resource, { display: ['id'], filters: { id: greaterThan(afterId) }, sort: [{ field: 'id', direction: 'ASC' }], limit: opts.pageSize }, opts.signal);
      const ids = parseIds(await fetchRows(s), s);
      yield ids;
      if (ids.length < opts.pageSize) return;
      const last = Math.max(...ids);
      if (last <= afterId) throw new PrestaShopError(`PrestaShop ${resource}: id page did not advance past ${afterId}`, { kind: 'malformed', status: 200, resource, url: transport.describeUrl(s), retryable: false });
      afterId = last;
    }
  }

  async function fetchById(resource: EntityResource, id: number, signal?: AbortSignal): Promise<ShopRecord | null> {
    checkEntity(resource);
    checkPositiveInt(id, 'id');
    const scope = shopScope(resource);
    const s: RequestSpec = {
      resource,
      path: `${resource}/${id}`,
      params: listParams({ display: 'full', ...(scope.params ? { params: scope.params } : {}) }),
      allowEmpty404: true,
      ...(signal ? { signal } : {}),
    };
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
      row = singleRow(response.body, resource, singularNames[resource]);
    } catch (error) {
      throw envelopeFailure(error, s, response.status);
    }
    if (row === null) return null;
    const parsed = parseRows([row], rowSchemas[resource]);
    const bad = parsed.rejected[0];
    if (bad) {
      throw new PrestaShopError(`PrestaShop ${resource} ${id}: ${bad.reason} (${transport.describeUrl(s)})`, { kind: 'invalid', status: response.status, resource, url: transport.describeUrl(s), retryable: false });
    }
    const record = parsed.records[0] as ShopRecord;
    if (record.id !== id) {
      throw new PrestaShopError(`PrestaShop ${resource} ${id}: the shop answered with id ${record.id}`, { kind: 'malformed', status: response.status, resource, url: transport.describeUrl(s), retryable: false });
    }
    return record;
  }

  async function listAll(resource: ReferenceResource, signal?: AbortSignal): Promise<{ records: ShopRecord[]; rejected: RejectedRecord[] }> {
    if (!REFERENCES.has(resource)) throw new InvalidQueryError(`Not a reference resource: "${resource}"`);
    const pageSize = options.pageSize;
    if (pageSize === undefined) return list(resource, { display: 'full' }, signal);
    // Paged by keyset on id, so no answer holds more than pageSize rows.
    const all: ParsedRows = { records: [], rejected: [] };
    for (let afterId = 0; ; ) {
      const s = spec(resource, { display: 'full', filters: { id: greaterThan(afterId) }, sort: [{ field: 'id', direction: 'ASC' }], limit: pageSize }, signal);
      const rows = await fetchRows(s);
      const page = toPage(parseRows(rows, rowSchemas[resource]), rows.length, pageSize, afterId, s);
      all.records.push(...page.records);
      all.rejected.push(...page.rejected);
      if (!page.more || page.lastId === null) return all;
      afterId = page.lastId;
    }
  }

  const TIMEZONE_QUERY: ListQuery = { display: ['id', 'name', 'value'], filters: { name: anyOf('PS_TIMEZONE') } };

  async function clockCall(signal?: AbortSignal): Promise<{ response: ShopResponse; s: RequestSpec }> {
    const s = spec('configurations', TIMEZONE_QUERY, signal);
    return { response: await transport.get(s), s };
  }

  function timeZoneFrom(response: ShopResponse, s: RequestSpec): string {
    const rows = envelopeRows(response, s);
    const value = rows
      .map((row) => (typeof row === 'object' && row !== null ? (row as { name?: unknown; value?: unknown }) : {}))
      .find((row) => row.name === 'PS_TIMEZONE')?.value;
    if (typeof value !== 'string' || value === '') {
      throw new PrestaShopError('PrestaShop configurations: PS_TIMEZONE is missing; set PRESTASHOP_TIMEZONE to the shop time zone', { kind: 'invalid', status: response.status, resource: 'configurations', url: transport.describeUrl(s), retryable: false });
    }
    try {
      assertTimeZone(value);
    } catch (error) {
      throw new PrestaShopError(`PrestaShop configurations: PS_TIMEZONE "${value}" is not a known IANA time zone; set PRESTASHOP_TIMEZONE`, { kind: 'invalid', status: response.status, resource: 'configurations', url: transport.describeUrl(s), retryable: false, cause: error });
    }
    return value;
  }

  async function timeZone(signal?: AbortSignal): Promise<string> {
    if (cachedTimeZone !== undefined) return cachedTimeZone;
    const { response, s } = await clockCall(signal);
    cachedTimeZone = timeZoneFrom(response, s);
    return cachedTimeZone;
  }

  async function now(signal?: AbortSignal): Promise<ShopNow> {
    const { response, s } = await clockCall(signal);
    const header = response.headers.get('access-time');
    if (header === null || !/^\d+$/.test(header.trim())) {
      throw new PrestaShopError(`PrestaShop: no usable Access-Time header (got ${header === null ? 'none' : JSON.stringify(header)}) (${transport.describeUrl(s)})`, { kind: 'malformed', status: response.status, resource: 'configurations', url: transport.describeUrl(s), retryable: false });
    }
    const zone = cachedTimeZone ?? timeZoneFrom(response, s);
    cachedTimeZone = zone;
    const utc = new Date(Number(header.trim()) * 1000);
    return { utc, local: toShopLocal(utc, zone), timeZone: zone };
  }

  return { windowPages, newestDateUpd, idPages, fetchById, listAll, now, list, timeZone };
}
