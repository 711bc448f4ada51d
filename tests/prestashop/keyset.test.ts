import type { KeysetQuery, Page } from '../../shared/prestashop/api';
import { PrestaShopError } from '../../shared/prestashop/errors';
import { InvalidQueryError } from '../../shared/prestashop/query';
import { fixture, json } from './support/fakeShop';
import { useHarness } from './support/harness';

const harness = useHarness();
const J = { output_format: 'JSON' };
const LO = '2024-01-01 00:00:00';
const HI = '2024-01-31 23:59:59';
const DATE = { 'filter[date_upd]': `[${LO},${HI}]`, date: '1' };
const windowQuery = (afterId: number, limit: number, display = 'full') => ({ display, ...DATE, 'filter[id]': `>[${afterId}]`, sort: '[id_ASC]', limit: String(limit), ...J });
const rangeQuery = (from: number, to: number) => ({ display: 'full', ...DATE, 'filter[id]': `[${from},${to}]`, sort: '[id_ASC]', ...J });
/** The highest-id probe that confirms a short page ends the listing. */
const probe = (afterId: number, extra: Record<string, string> = DATE) => ({ display: '[id]', ...extra, 'filter[id]': `>[${afterId}]`, sort: '[id_DESC]', limit: '1', ...J });

/** An order as PrestaShop 8.1 sends it: integers as JSON numbers, money and flags as strings. */
const order = (id: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  id_customer: 2,
  id_currency: 1,
  current_state: 2,
  id_shop: 1,
  valid: '1',
  date_add: '2024-01-02 10:00:00',
  date_upd: '2024-01-03 10:00:00',
  total_paid: '10.000000',
  associations: { order_rows: [{ id: id * 10, product_id: 1, product_attribute_id: 0, product_quantity: 1, product_price: '10.000000', unit_price_tax_incl: '12.000000', unit_price_tax_excl: '10.000000' }] },
  ...extra,
});
const orders = (...rows: Record<string, unknown>[]): string => JSON.stringify({ orders: rows });
const ids = (...list: number[]): string => JSON.stringify({ orders: list.map((id) => ({ id })) });
const NOTICE = fixture('error-500-php-notice.json');
const window = { field: 'date_upd' as const, lo: LO, hi: HI };
const q = (afterId: number, pageSize: number, extra: Partial<KeysetQuery> = {}): KeysetQuery => ({ resource: 'orders', window, afterId, pageSize, display: 'full', ...extra });

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('the keyset listing', () => {
  it('walks the window by keyset and ends on a short page the highest-id probe confirms', async () => {
    const h = harness();
    h.shop
      .expect('/api/orders', windowQuery(100, 2), json(orders(order(101), order(105))))
      .expect('/api/orders', windowQuery(105, 2), json(orders(order(106), order(200))))
      .expect('/api/orders', windowQuery(200, 2), json(orders(order(201))))
      .expect('/api/orders', probe(100), json(ids(201)));
    const pages = await collect(h.client.keysetPages(q(100, 2)));
    expect(pages.map((p) => [p.records.map((r) => r.id), p.lastId, p.last])).toEqual([
      [[101, 105], 105, false],
      [[106, 200], 200, false],
      [[201], 201, true],
    ]);
  });

  it('ends after an exactly full page followed by an empty one', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 1), json(orders(order(3)))).expect('/api/orders', windowQuery(3, 1), json('[]')).expect('/api/orders', probe(0), json(ids(3)));
    const pages = await collect(h.client.keysetPages(q(0, 1)));
    expect(pages.map((p) => [p.lastId, p.last])).toEqual([[3, false], [null, true]]);
  });

  it('sets invalid rows aside one by one and still advances past them', async () => {
    const h = harness();
    const badDate = order(2, { date_upd: '2024-01-03T10:00:00' });
    const badRows = order(3, { associations: { order_rows: [{ id: 30, product_id: 'x', product_quantity: 1 }] } });
    const noId = { ...order(0), id: 'abc' };
    h.shop.expect('/api/orders', windowQuery(0, 5), json(orders(order(1), badDate, badRows, noId, order(4, { secure_key: 's3cr3t', passwd: 'hash' }))));
    h.shop.expect('/api/orders', probe(0), json(ids(4)));
    const [page] = (await collect(h.client.keysetPages(q(0, 5)))) as [Page];
    expect(page.records.map((r) => r.id)).toEqual([1, 4]);
    expect(page.records[1]).toMatchObject({ secure_key: 's3cr3t' }); // records stay as received; the raw writer strips secrets
    expect(page.rejected.map((r) => [r.id, r.reason])).toEqual([
      [2, expect.stringMatching(/^invalid record: date_upd: expected 'YYYY-MM-DD HH:MM:SS'/)],
      [3, expect.stringMatching(/associations\.order_rows\.0\.product_id/)],
      [null, expect.stringMatching(/^invalid record: id:/)],
    ]);
    expect(page.rejected.some((r) => JSON.stringify(r.payload).includes('hash'))).toBe(false);
    expect(page).toMatchObject({ lastId: 4, last: true });
  });

  it('accepts integers as numbers or strings, mixed within one page, and hands ids on as numbers', async () => {
    const h = harness();
    const asStrings = order(7, { id: '7', id_customer: '2', current_state: '3', associations: { order_rows: [{ id: '70', product_id: '1', product_quantity: '2', unit_price_tax_incl: '1.0', unit_price_tax_excl: '1.0' }] } });
    h.shop.expect('/api/orders', windowQuery(0, 5), json(orders(order(6), asStrings))).expect('/api/orders', probe(0), json(ids(7)));
    const [page] = (await collect(h.client.keysetPages(q(0, 5)))) as [Page];
    expect(page.rejected).toEqual([]);
    expect(page.records.map((r) => r.id)).toEqual([6, 7]);
    expect(page.records[1]).toMatchObject({ id_customer: '2', current_state: '3' }); // the rest stays as received
  });

  it('isolates a poison record by bisecting the page ids', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop
      // the full page fails twice (a 500 is retried), then its ids are listed cheaply
      .expect('/api/orders', windowQuery(0, 4), json(NOTICE, 500))
      .expect('/api/orders', windowQuery(0, 4), json(NOTICE, 500))
      .expect('/api/orders', windowQuery(0, 4, '[id]'), json(ids(5, 6, 7, 8)))
      // halves: a failing half is split again without retrying
      .expect('/api/orders', rangeQuery(5, 6), json(orders(order(5), order(6))))
      .expect('/api/orders', rangeQuery(7, 8), json(NOTICE, 500))
      // a single id gets the normal retries before it is set aside
      .expect('/api/orders', rangeQuery(7, 7), json(NOTICE, 500))
      .expect('/api/orders', rangeQuery(7, 7), json(NOTICE, 500))
      .expect('/api/orders', rangeQuery(8, 8), json(orders(order(8))))
      .expect('/api/orders', windowQuery(8, 4), json(orders(order(9))))
      .expect('/api/orders', probe(0), json(ids(9)));
    const pages = await collect(client.keysetPages(q(0, 4)));
    expect(pages).toHaveLength(2);
    const [first] = pages as [Page];
    expect(first.records.map((r) => r.id)).toEqual([5, 6, 8]);
    expect(first.rejected).toEqual([
      { id: 7, reason: 'shop answers 500 for this record: #5 [PHP Notice #8] Trying to access array offset on value of type null (/var/www/html/classes/Product.php, line 7149)', payload: null },
    ]);
    expect(first).toMatchObject({ lastId: 8, last: false });
    expect(pages[1]?.records.map((r) => r.id)).toEqual([9]);
    expect(h.captured.lines.some((l) => l.includes('set aside') && l.includes('"id":7'))).toBe(true);
  });

  it('splits a page that times out at once, retries only the single record, and sets it aside when it never answers', async () => {
    const h = harness();
    const client = h.make({ requestTimeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop
      .expect('/api/orders', windowQuery(0, 4), 'hang') // not retried: a page of several records is split instead
      .expect('/api/orders', windowQuery(0, 4, '[id]'), json(ids(1, 2, 3, 4)))
      .expect('/api/orders', rangeQuery(1, 2), json(orders(order(1), order(2))))
      .expect('/api/orders', rangeQuery(3, 4), 'hang') // a half of several ids: split again, no retry
      .expect('/api/orders', rangeQuery(3, 3), 'hang') // the single record: the full retry policy (2 attempts here)
      .expect('/api/orders', rangeQuery(3, 3), 'hang')
      .expect('/api/orders', rangeQuery(4, 4), json(orders(order(4))))
      .expect('/api/orders', windowQuery(4, 4), json('[]'))
      .expect('/api/orders', probe(0), json(ids(4)));
    const [page] = (await collect(client.keysetPages(q(0, 4)))) as [Page];
    expect(page.records.map((r) => r.id)).toEqual([1, 2, 4]);
    expect(page.rejected).toEqual([{ id: 3, reason: expect.stringMatching(/^shop does not answer in time for this record/), payload: null }]);
    expect(page).toMatchObject({ lastId: 4, last: false });
  });

  it('does not isolate when the id list fails too', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop.expect('/api/orders', windowQuery(0, 3), json(NOTICE, 500)).expect('/api/orders', windowQuery(0, 3, '[id]'), json(NOTICE, 500));
    const error = await h.failure(() => collect(client.keysetPages(q(0, 3))));
    expect(error).toMatchObject({ status: 500 });
  });

  it.each([
    ['PrestaShop 8.1 (500 with PHP warnings)', 500],
    ['PrestaShop 1.7 (400)', 400],
  ])('fails at once, with the shop message and no retry or split, when the shop refuses the request itself: %s', async (_name, status) => {
    const h = harness();
    const body = JSON.stringify({
      errors: [
        { code: 32, message: 'This filter does not exist. Did you mean: "note"? The full list is: "id", "note"' },
        { code: 3, message: '[PHP Warning #2] Trying to access array offset on value of type bool (/var/www/html/classes/webservice/WebserviceRequest.php, line 1333)' },
        { code: 3, message: '[PHP Warning #2] Trying to access array offset on value of type bool (/var/www/html/classes/webservice/WebserviceRequest.php, line 1334)' },
      ],
    });
    h.shop.expect('/api/orders', windowQuery(0, 4), json(body, status));
    const error = await h.failure(() => collect(h.client.keysetPages(q(0, 4))));
    expect(error).toBeInstanceOf(PrestaShopError);
    expect(error).toMatchObject({ kind: 'request', status, retryable: false, codes: [32, 3, 3] });
    expect(error.message).toContain('the shop refuses the request');
    expect(error.message).toContain('#32 This filter does not exist');
    expect(error.message).toContain('(and 2 PHP warnings)');
    expect(error.message).toMatch(/a module may have removed it, or this PrestaShop version lacks it/);
    expect(h.shop.seen).toHaveLength(1);
  });

  it('fails the page, keeping nothing, when ids come back out of order (a shop that ignores sort)', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 3), json(orders(order(9), order(4), order(12))));
    const seen: Page[] = [];
    const error = await h.failure(async () => {
      for await (const page of h.client.keysetPages(q(0, 3))) seen.push(page);
    });
    expect(seen).toEqual([]);
    expect(error).toMatchObject({ kind: 'malformed' });
    expect(error.message).toMatch(/out of order \(id 4 after 9\).*sort=\[id_ASC\]/);
  });

  it('fails the page when an id is not above the cursor (a shop that ignores the id filter)', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(10, 3), json(orders(order(3), order(11))));
    const error = await h.failure(() => collect(h.client.keysetPages(q(10, 3))));
    expect(error.message).toMatch(/out of order \(id 3 after 10\)/);
  });

  it('follows a shop that serves fewer rows than asked (a capped limit), reading every row', async () => {
    const h = harness();
    h.shop
      .expect('/api/orders', windowQuery(0, 4), json(orders(order(1), order(2)))) // capped at 2
      .expect('/api/orders', probe(0), json(ids(9)))
      .expect('/api/orders', windowQuery(2, 4), json(orders(order(3), order(5)))) // a full page at the cap: no probe
      .expect('/api/orders', windowQuery(5, 4), json(orders(order(9))))
      .expect('/api/orders', probe(0), json(ids(9)));
    const pages = await collect(h.client.keysetPages(q(0, 4)));
    expect(pages.map((p) => [p.records.map((r) => r.id), p.last])).toEqual([
      [[1, 2], false],
      [[3, 5], false],
      [[9], true],
    ]);
    expect(h.captured.lines.some((l) => l.includes('short page while ids remain'))).toBe(true);
  });

  it('reports an incomplete listing when an empty answer hides ids the shop holds (a swallowed SQL error)', async () => {
    const h = harness();
    h.shop
      .expect('/api/orders', windowQuery(0, 2), json(orders(order(1), order(2))))
      .expect('/api/orders', windowQuery(2, 2), json('[]'))
      .expect('/api/orders', probe(0), json(ids(40)));
    const seen: Page[] = [];
    const error = await h.failure(async () => {
      for await (const page of h.client.keysetPages(q(0, 2))) seen.push(page);
    });
    expect(seen.map((p) => p.lastId)).toEqual([2]);
    expect(error).toMatchObject({ kind: 'incomplete' });
    expect(error.message).toMatch(/came back empty after id 2 although the shop holds id 40/);
  });

  it('reads one range of ids by interval, and confirms its end inside the range', async () => {
    const h = harness();
    const range = (from: number, to: number, limit: number) => ({ display: 'full', ...DATE, 'filter[id]': `[${from},${to}]`, sort: '[id_ASC]', limit: String(limit), ...J });
    h.shop
      .expect('/api/orders', range(51, 100, 2), json(orders(order(60), order(70))))
      .expect('/api/orders', range(71, 100, 2), json(orders(order(99))))
      .expect('/api/orders', { display: '[id]', ...DATE, 'filter[id]': '[51,100]', sort: '[id_DESC]', limit: '1', ...J }, json(ids(99)));
    const pages = await collect(h.client.keysetPages(q(50, 2, { upToId: 100 })));
    expect(pages.map((p) => [p.lastId, p.last])).toEqual([[70, false], [99, true]]);
    expect(await collect(h.client.keysetPages(q(100, 2, { upToId: 100 })))).toEqual([{ records: [], rejected: [], lastId: null, last: true }]);
  });

  it.each([
    ['2024-01-01T00:00:00', HI],
    [LO, '2024-01-31'],
    ['2024-02-30 00:00:00', HI],
    ['2024-02-01 00:00:00', HI], // lo after hi
  ])('rejects the window [%s, %s] before any request', async (lo, hi) => {
    const h = harness();
    const error = await h.failure(() => collect(h.client.keysetPages(q(0, 4, { window: { field: 'date_upd', lo, hi } }))));
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect(h.shop.seen).toEqual([]);
  });

  it('scopes orders and products to one shop in multishop', async () => {
    const h = harness();
    const client = h.make({ shopId: 2 });
    h.shop.expect('/api/orders', { ...windowQuery(0, 4), 'filter[id_shop]': '[2]' }, json('[]'));
    h.shop.expect('/api/orders', { ...probe(0), 'filter[id_shop]': '[2]' }, json('[]'));
    h.shop.expect('/api/products', { display: '[id]', 'filter[id]': '>[0]', sort: '[id_ASC]', limit: '3', id_shop: '2', ...J }, json('{"products":[{"id":1},{"id":2}]}'));
    h.shop.expect('/api/products', { ...probe(0, {}), id_shop: '2' }, json('[]'));
    await collect(client.keysetPages(q(0, 4)));
    const sweep = await collect(client.keysetPages({ resource: 'products', afterId: 0, pageSize: 3, display: 'ids' }));
    expect(sweep.map((p) => p.records.map((r) => r.id))).toEqual([[1, 2]]);
  });
});

describe('probes and other calls', () => {
  it('probes the newest change of a resource, unfiltered', async () => {
    const h = harness();
    const newest = { display: '[id,date_upd]', sort: '[date_upd_DESC,id_DESC]', limit: '1', date: '1', ...J };
    h.shop.expect('/api/customers', newest, json('{"customers":[{"id":42,"date_upd":"2024-05-01 12:00:00"}]}'));
    h.shop.expect('/api/customers', newest, json('[]'));
    expect(await h.client.newestChange('customers', 'date_upd')).toEqual({ id: 42, date: '2024-05-01 12:00:00' });
    expect(await h.client.newestChange('customers', 'date_upd')).toBeNull();
  });

  it('probes the oldest change inside a window, and the highest id of a listing', async () => {
    const h = harness();
    const oldest = { display: '[id,date_add]', 'filter[date_add]': `[${LO},${HI}]`, sort: '[date_add_ASC,id_ASC]', limit: '1', date: '1', ...J };
    h.shop.expect('/api/order_payments', oldest, json('{"order_payments":[{"id":3,"date_add":"2024-01-05 00:00:00"}]}'));
    h.shop.expect('/api/orders', probe(0), json(ids(77)));
    expect(await h.client.oldestChangeBetween('order_payments', { field: 'date_add', lo: LO, hi: HI })).toEqual({ id: 3, date: '2024-01-05 00:00:00' });
    expect(await h.client.highestId({ resource: 'orders', window, afterId: 0 })).toBe(77);
  });

  it('reads a reference table in keyset pages when a page size is set', async () => {
    const h = harness();
    const client = h.make({ pageSize: 2 });
    const page = (after: number) => ({ display: 'full', 'filter[id]': `>[${after}]`, sort: '[id_ASC]', limit: '2', ...J });
    const state = (id: number) => ({ id, name: [{ id: 1, value: `S${id}` }, { id: 2, value: `É${id}` }], logable: '1', paid: 0 });
    h.shop
      .expect('/api/order_states', page(0), json(JSON.stringify({ order_states: [state(1), state(2)] })))
      .expect('/api/order_states', page(2), json(JSON.stringify({ order_states: [state(3), { ...state(4), logable: 'yes' }] })))
      .expect('/api/order_states', page(4), json('[]'))
      .expect('/api/order_states', probe(0, {}), json(JSON.stringify({ order_states: [{ id: 4 }] })));
    const { records, rejected } = await client.listAll('order_states');
    expect(records.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rejected).toEqual([{ id: 4, reason: expect.stringContaining('logable'), payload: expect.objectContaining({ id: 4 }) }]);
  });

  it('sweeps every id', async () => {
    const h = harness();
    const page = (after: number) => ({ display: '[id]', 'filter[id]': `>[${after}]`, sort: '[id_ASC]', limit: '2', ...J });
    h.shop
      .expect('/api/customers', page(0), json('{"customers":[{"id":1},{"id":2}]}'))
      .expect('/api/customers', page(2), json('{"customers":[{"id":4}]}'))
      .expect('/api/customers', probe(0, {}), json('{"customers":[{"id":4}]}'));
    const pages = await collect(h.client.keysetPages({ resource: 'customers', afterId: 0, pageSize: 2, display: 'ids' }));
    expect(pages.map((p) => p.records.map((r) => r.id))).toEqual([[1, 2], [4]]);
  });
});
