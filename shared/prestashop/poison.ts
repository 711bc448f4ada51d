import { Metric } from '../telemetry/names';
import type { Logger, Telemetry } from '../telemetry/types';
import type { RejectedRecord, ShopRecord } from './api';
import { describeErrors, PrestaShopError } from './errors';
import type { ParsedRows } from './schemas';

/**
 * One record that PrestaShop cannot render (a PHP notice on a broken row) makes the whole display=full page answer
 * 500 (docs/prestashop-webservice.md §10, §11.4). The ids are still listable cheaply (display=[id] never loads the objects), so the
 * page is bisected over those ids down to single records: the record that still answers 500 alone is set aside and
 * the rest of the page loads. A page that keeps timing out is split the same way (docs/prestashop-webservice.md §11.4: display=full
 * loads every object, so a page of heavy records can be too slow while its halves are not).
 */

export interface PoisonIsolation {
  resource: string;
  /** The 500 or timeout the full page still gave. */
  failure: PrestaShopError;
  afterId: number;
  /** The page's ids: same filters and keyset, display=[id], checked ascending by the caller. */
  listIds: () => Promise<number[]>;
  /**
   * display=full rows with from <= id <= to (same filters). `single` is true for a one-id range: only that request
   * gets the full retry policy; a range of several ids is split again on a 500 or a timeout instead of retried.
   */
  fetchRange: (from: number, to: number, single: boolean) => Promise<ParsedRows>;
  log: Logger;
  telemetry: Telemetry;
}

/**
 * What bisecting can cure: a 500 (a record PHP cannot render) or a timeout (a page too heavy to render in time, or a
 * record that hangs). Not a 500 by which the shop refuses the request itself: every half would be refused too.
 */
export function isSplittable(error: unknown): error is PrestaShopError {
  return error instanceof PrestaShopError && error.kind !== 'request' && (error.status === 500 || error.kind === 'timeout');
}

function messageOf(error: PrestaShopError): string {
  return error.errors.length > 0 ? describeErrors(error.errors) : error.message;
}

export interface IsolatedPage {
  records: ShopRecord[];
  rejected: RejectedRecord[];
  /** Every id the page covered, ascending. */
  ids: number[];
}

export async function isolatePoison(input: PoisonIsolation): Promise<IsolatedPage> {
  const ids = await input.listIds();
  const records: ShopRecord[] = [];
  const rejected: RejectedRecord[] = [];

  async function load(chunk: number[]): Promise<void> {
    const from = chunk[0];
    const to = chunk[chunk.length - 1];
    if (from === undefined || to === undefined) return;
    const single = chunk.length === 1;
    input.telemetry.metric(Metric.prestashopRetries, 1, { resource: input.resource, reason: 'poison_split' });
    try {
      const parsed = await input.fetchRange(from, to, single);
      records.push(...parsed.records);
      rejected.push(...parsed.rejected);
    } catch (error) {
      if (!isSplittable(error)) throw error;
      if (single) {
        const reason = error.kind === 'timeout' ? `shop does not answer in time for this record: ${error.message}` : `shop answers 500 for this record: ${messageOf(error)}`;
        input.log.warn('PrestaShop record cannot be rendered; set aside', { resource: input.resource, id: from, reason });
        rejected.push({ id: from, reason, payload: null });
        return;
      }
      await halves(chunk);
    }
  }

  async function halves(chunk: number[]): Promise<void> {
    const middle = Math.ceil(chunk.length / 2);
    await load(chunk.slice(0, middle));
    await load(chunk.slice(middle));
  }

  // A page that timed out but lists no id was empty: the shop was slow, nothing is lost.
  if (ids.length === 0 && input.failure.kind === 'timeout') return { records, rejected, ids };
  // A 500 page with no ids to list is not a poison record: something else is broken.
  if (ids.length === 0) throw input.failure;
  // The whole range is the page that just failed: start with its halves.
  if (ids.length === 1) await load(ids);
  else await halves(ids);
  records.sort((a, b) => a.id - b.id);
  input.log.warn('PrestaShop page isolated', {
    resource: input.resource,
    afterId: input.afterId,
    ids: ids.length,
    loaded: records.length,
    poisoned: rejected.filter((r) => r.payload === null).length,
    firstFailure: messageOf(input.failure),
  });
  return { records, rejected, ids };
}
