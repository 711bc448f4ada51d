import type { Logger, Telemetry } from '../telemetry/types';
import type { CallOptions, KeysetQuery, Page, RejectedRecord, ShopRecord } from './api';
import { PrestaShopError } from './errors';
import { isolatePoison, isSplittable } from './poison';
import { greaterThan, interval, InvalidQueryError, type Filter, type ListQuery } from './query';
import { RESOURCES } from './resources';
import { claimedId, idOnlySchema, parseRows } from './schemas';
import { isShopLocalTime } from './shopTime';

/**
 * The one keyset listing of the client: windows, ranges of a concurrent read, reconciliation sweeps and id lists all
 * page through it (docs/prestashop-webservice.md §11.3). It trusts nothing it can check:
 * - ids must come back strictly ascending, above the cursor and inside the range, or the page fails: a shop or
 *   module that ignores sort=[id_ASC] would otherwise make the next page skip ids;
 * - a page shorter than asked does not end the listing by itself: the shop's highest id of the listing is probed
 *   (same filters, from where the listing started, not from the cursor: an error that swallows every query above
 *   some id would swallow that probe too), and when ids remain above the page, the next page is asked for (a proxy
 *   or module capping `limit` is learned and followed); an empty answer below an id the shop holds is an incomplete
 *   listing (the empty 200 of a swallowed SQL error), reported as a PrestaShopError of kind 'incomplete'.
 */

/** What the generator needs from the client: one list request's rows, and a readable URL for messages. */
export interface KeysetPorts {
  listRows(resource: string, query: ListQuery, options: RequestOptions): Promise<unknown[]>;
  describeUrl(resource: string, query: ListQuery): string;
  log: Logger;
  telemetry: Telemetry;
}

export interface RequestOptions extends CallOptions {
  /** False while a page of several records is bisected: a 500 means "split further". */
  retry500?: boolean;
  /** False for pages of several records: a timeout means "split", only a single record is retried. */
  retryTimeouts?: boolean;
}

interface FetchedPage {
  records: ShopRecord[];
  rejected: RejectedRecord[];
  /** Every id the answer held, in the order received. */
  ids: number[];
}

export function checkKeysetQuery(q: Omit<KeysetQuery, 'pageSize' | 'display'> & { pageSize?: number }): void {
  if (!Object.hasOwn(RESOURCES, q.resource)) throw new InvalidQueryError(`Not a resource the client reads: "${q.resource}"`);
  if (!Number.isInteger(q.afterId) || q.afterId < 0) throw new InvalidQueryError(`afterId must be a non-negative integer, got ${q.afterId}`);
  if (q.upToId !== undefined && (!Number.isInteger(q.upToId) || q.upToId < 0)) throw new InvalidQueryError(`upToId must be a non-negative integer, got ${q.upToId}`);
  if (q.pageSize !== undefined && (!Number.isInteger(q.pageSize) || q.pageSize < 1)) throw new InvalidQueryError(`pageSize must be a positive integer, got ${q.pageSize}`);
  if (q.window) {
    for (const [name, value] of [['lo', q.window.lo], ['hi', q.window.hi]] as const) {
      if (!isShopLocalTime(value)) throw new InvalidQueryError(`window ${name} "${value}" is not a shop-local time 'YYYY-MM-DD HH:MM:SS'`);
    }
    if (q.window.lo > q.window.hi) throw new InvalidQueryError(`window lo ${q.window.lo} is after hi ${q.window.hi}`);
  }
}

/** The filters of a listing above `afterId`: its own, the date window, and the id range. */
export function listingFilters(q: Omit<KeysetQuery, 'pageSize' | 'display'>, afterId: number): Record<string, Filter> {
  return {
    ...q.filters,
    ...(q.window ? { [q.window.field]: interval(q.window.lo, q.window.hi) } : {}),
    id: q.upToId === undefined ? greaterThan(afterId) : interval(afterId + 1, q.upToId),
  };
}

/** The highest id of a listing above `afterId`, or null: display=[id], sort=[id_DESC], limit=1. */
export async function highestIdOf(ports: KeysetPorts, q: Omit<KeysetQuery, 'pageSize' | 'display'>, afterId = q.afterId): Promise<number | null> {
  if (q.upToId !== undefined && afterId >= q.upToId) return null;
  const query: ListQuery = { display: ['id'], filters: listingFilters(q, afterId), sort: [{ field: 'id', direction: 'DESC' }], limit: 1 };
  const rows = await ports.listRows(q.resource, query, options(q));
  const parsed = parseRows(rows, idOnlySchema);
  const bad = parsed.rejected[0];
  if (bad) throw malformed(ports, q.resource, query, `the highest-id probe gave an invalid row: ${bad.reason}`);
  const [row] = parsed.records;
  if (row && (row.id <= afterId || (q.upToId !== undefined && row.id > q.upToId))) {
    throw malformed(ports, q.resource, query, `the highest-id probe answered id ${row.id}, outside the filter`);
  }
  return row ? row.id : null;
}

export async function* keysetPages(ports: KeysetPorts, q: KeysetQuery): AsyncGenerator<Page> {
  checkKeysetQuery(q);
  let cursor = q.afterId;
  /** Rows per answer the shop really gives: less than pageSize behind a proxy or module that caps `limit`. */
  let served = q.pageSize;
  for (;;) {
    if (q.upToId !== undefined && cursor >= q.upToId) {
      yield { records: [], rejected: [], lastId: null, last: true };
      return;
    }
    const query = pageQuery(q, cursor);
    const page = await fetchPage(ports, q, query, cursor);
    checkAscending(ports, q, query, page.ids, cursor);
    const lastId = page.ids.at(-1) ?? null;
    const next = lastId ?? cursor;
    if (page.ids.length >= served) {
      yield { records: page.records, rejected: page.rejected, lastId, last: false };
      cursor = next;
      continue;
    }
    const highest = await highestIdOf(ports, q, q.afterId);
    if (highest === null || highest <= next) {
      yield { records: page.records, rejected: page.rejected, lastId, last: true };
      return;
    }
    if (page.ids.length === 0) {
      throw new PrestaShopError(
        `PrestaShop ${q.resource}: the listing came back empty after id ${cursor} although the shop holds id ${highest} in it ` +
          `(an SQL error the shop swallowed into an empty answer?); nothing past id ${cursor} is trusted (${ports.describeUrl(q.resource, query)})`,
        { kind: 'incomplete', status: 200, resource: q.resource, url: ports.describeUrl(q.resource, query), retryable: false },
      );
    }
    // Ids remain above a short page: the shop serves fewer rows than asked. Follow it.
    served = page.ids.length;
    ports.log.info('PrestaShop answered a short page while ids remain: reading on with the page size it serves', {
      resource: q.resource, asked: q.pageSize, served, afterId: cursor, highestId: highest,
    });
    yield { records: page.records, rejected: page.rejected, lastId, last: false };
    cursor = next;
  }
}

function pageQuery(q: KeysetQuery, afterId: number): ListQuery {
  return {
    display: q.display === 'full' ? 'full' : ['id'],
    filters: listingFilters(q, afterId),
    sort: [{ field: 'id', direction: 'ASC' }],
    limit: q.pageSize,
  };
}

function options(q: CallOptions): CallOptions {
  return { ...(q.signal ? { signal: q.signal } : {}), ...(q.gate ? { gate: q.gate } : {}) };
}

async function fetchPage(ports: KeysetPorts, q: KeysetQuery, query: ListQuery, afterId: number): Promise<FetchedPage> {
  const schema = q.display === 'full' ? RESOURCES[q.resource].schema : idOnlySchema;
  let rows: unknown[];
  try {
    rows = await ports.listRows(q.resource, query, { ...options(q), retryTimeouts: q.display !== 'full' || q.pageSize === 1 });
  } catch (error) {
    if (q.display !== 'full' || !isSplittable(error)) throw error;
    ports.log.warn('PrestaShop page fails; isolating the failing records', { resource: q.resource, status: error.status, kind: error.kind, afterId });
    return isolatePoison({
      resource: q.resource,
      failure: error,
      afterId,
      listIds: async () => {
        const idQuery: ListQuery = { ...query, display: ['id'] };
        const idRows = await ports.listRows(q.resource, idQuery, options(q));
        const ids = idRows.map(claimedId).filter((id): id is number => id !== null);
        checkAscending(ports, q, idQuery, ids, afterId);
        return ids;
      },
      fetchRange: async (from, to, single) => {
        const rangeQuery: ListQuery = { display: 'full', filters: { ...listingFilters(q, afterId), id: interval(from, to) }, sort: [{ field: 'id', direction: 'ASC' }] };
        const rangeOptions: RequestOptions = single ? options(q) : { ...options(q), retry500: false, retryTimeouts: false };
        return parseRows(await ports.listRows(q.resource, rangeQuery, rangeOptions), schema);
      },
      log: ports.log,
      telemetry: ports.telemetry,
    });
  }
  const parsed = parseRows(rows, schema);
  const ids = rows.map(claimedId).filter((id): id is number => id !== null);
  return { records: parsed.records, rejected: parsed.rejected, ids };
}

function checkAscending(ports: KeysetPorts, q: KeysetQuery, query: ListQuery, ids: readonly number[], afterId: number): void {
  let previous = afterId;
  for (const id of ids) {
    if (id <= previous) {
      throw malformed(
        ports,
        q.resource,
        query,
        `ids came back out of order (id ${id} after ${previous}): the shop does not honour sort=[id_ASC] or the id filter ` +
          '(a module rewriting list queries?), so keyset paging would skip records; nothing of this page was kept',
      );
    }
    if (q.upToId !== undefined && id > q.upToId) throw malformed(ports, q.resource, query, `id ${id} is above the requested range end ${q.upToId}`);
    previous = id;
  }
}

function malformed(ports: KeysetPorts, resource: string, query: ListQuery, what: string): PrestaShopError {
  const url = ports.describeUrl(resource, query);
  return new PrestaShopError(`PrestaShop ${resource}: ${what} (${url})`, { kind: 'malformed', status: 200, resource, url, retryable: false });
}
