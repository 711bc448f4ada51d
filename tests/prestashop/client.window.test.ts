import type { Page } from '../../shared/prestashop/api';
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

const order = (id: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  id_customer: '2',
  id_currency: '1',
  current_state: '2',
  id_shop: '1',
  date_add: '2024-01-02 10:00:00',
  date_upd: '2024-01-03 10:00:00',
  total_paid: '10.000000',
  associations: { order_rows: [{ id: String(id * 10), product_id: '1', product_attribute_id: '0', product_quantity: '1', product_price: '10.000000', unit_price_tax_incl: '12.000000', unit_price_tax_excl: '10.000000' }] },
  ...extra,
});
const orders = (...rows: Record<string, unknown>[]): string => JSON.stringify({ orders: rows });
const ids = (...list: number[]): string => JSON.stringify({ orders: list.map((id) => ({ id })) });
const NOTICE = fixture('error-500-php-notice.json');

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('windowPages', () => {
  it('walks the window by keyset until a short page', async () => {
    const h = harness();
    h.shop
      .expect('/api/orders', windowQuery(100, 2), json(orders(order(101), order(105))))
      .expect('/api/orders', windowQuery(105, 2), json(orders(order(106), order(200))))
      .expect('/api/orders', windowQuery(200, 2), json(orders(order(201))));
    const pages = await collect(h.client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 100, pageSize: 2 }));
    expect(pages.map((p) => [p.records.map((r) => r.id), p.lastId, p.more])).toEqual([
      [[101, 105], 105, true],
      [[106, 200], 200, true],
      [[201], 201, false],
    ]);
  });

  it('stops after an exactly full page followed by an empty one', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 1), json(orders(order(3)))).expect('/api/orders', windowQuery(3, 1), json('[]'));
    const pages = await collect(h.client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 1 }));
    expect(pages.map((p) => p.lastId)).toEqual([3, null]);
  });

  it('sets invalid rows aside one by one and still advances past them', async () => {
    const h = harness();
    const badDate = order(2, { date_upd: '2024-01-03T10:00:00' });
    const badRows = order(3, { associations: { order_rows: [{ id: '30', product_id: 'x' }] } });
    const noId = { ...order(0), id: 'abc' };
    h.shop.expect('/api/orders', windowQuery(0, 5), json(orders(order(1), badDate, badRows, noId, order(4, { secure_key: 's3cr3t', passwd: 'hash' }))));
    h.shop.expect('/api/orders', windowQuery(4, 5), json('[]'));
    const [page] = (await collect(h.client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 5 }))) as [Page];
    expect(page.records.map((r) => r.id)).toEqual([1, 4]);
    expect(page.records[1]).toMatchObject({ secure_key: 's3cr3t' }); // records stay as received; the sync strips secrets
    expect(page.rejected.map((r) => [r.id, r.reason])).toEqual([
      [2, expect.stringMatching(/^invalid record: date_upd: expected 'YYYY-MM-DD HH:MM:SS'/)],
      [3, expect.stringMatching(/associations\.order_rows\.0\.product_id/)],
      [null, expect.stringMatching(/^invalid record: id:/)],
    ]);
    expect(page).toMatchObject({ lastId: 4, more: true });
  });

  it('isolates a poison record by bisecting the page ids', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop
      // the full page fails twice (retries), then its ids are listed cheaply
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
      .expect('/api/orders', windowQuery(8, 4), json(orders(order(9))));
    const pages = await collect(client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 4 }));
    expect(pages).toHaveLength(2);
    const [first] = pages as [Page];
    expect(first.records.map((r) => r.id)).toEqual([5, 6, 8]);
    expect(first.rejected).toEqual([
      { id: 7, reason: 'shop answers 500 for this record: #5 [PHP Notice #8] Trying to access array offset on value of type null (/var/www/html/classes/Product.php, line 7149)', payload: null },
    ]);
    expect(first).toMatchObject({ lastId: 8, more: true });
    expect(pages[1]?.records.map((r) => r.id)).toEqual([9]);
    expect(h.captured.lines.some((l) => l.includes('set aside') && l.includes('"id":7'))).toBe(true);
  });

  it('splits a page that keeps timing out, and sets aside a record that never answers', async () => {
    const h = harness();
    const client = h.make({ requestTimeoutMs: 150, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop
      .expect('/api/orders', windowQuery(0, 3), 'hang')
      .expect('/api/orders', windowQuery(0, 3, '[id]'), json(ids(1, 2, 3)))
      .expect('/api/orders', rangeQuery(1, 2), json(orders(order(1), order(2))))
      .expect('/api/orders', rangeQuery(3, 3), 'hang');
    h.shop.expect('/api/orders', windowQuery(3, 3), json('[]'));
    const [page] = (await collect(client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 3 }))) as [Page];
    expect(page.records.map((r) => r.id)).toEqual([1, 2]);
    expect(page.rejected).toEqual([{ id: 3, reason: expect.stringMatching(/^shop does not answer in time for this record/), payload: null }]);
    expect(page).toMatchObject({ lastId: 3, more: true });
  });

  it('does not isolate when the id list fails too', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    h.shop.expect('/api/orders', windowQuery(0, 3), json(NOTICE, 500)).expect('/api/orders', windowQuery(0, 3, '[id]'), json(NOTICE, 500));
    const error = await h.failure(() => collect(client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 3 })));
    expect(error).toMatchObject({ status: 500 });
  });

  it('lets a page failure other than 500 through', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 4), json(fixture('error-400-bad-filter.json'), 400));
    const error = await h.failure(() => collect(h.client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 4 })));
    expect(error).toMatchObject({ status: 400, codes: [32] });
  });

  it.each([
    ['2024-01-01T00:00:00', HI],
    [LO, '2024-01-31'],
    ['2024-02-30 00:00:00', HI],
    ['2024-02-01 00:00:00', HI], // lo after hi
  ])('rejects the window [%s, %s] before any request', async (lo, hi) => {
    const h = harness();
    const error = await h.failure(() => collect(h.client.windowPages({ resource: 'orders', lo, hi, afterId: 0, pageSize: 4 })));
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect(h.shop.seen).toEqual([]);
  });

  it('scopes orders to one shop in multishop', async () => {
    const h = harness();
    const client = h.make({ shopId: 2 });
    h.shop.expect('/api/orders', { ...windowQuery(0, 4), 'filter[id_shop]': '[2]' }, json('[]'));
    h.shop.expect('/api/products', { display: '[id]', 'filter[id]': '>[0]', sort: '[id_ASC]', limit: '3', id_shop: '2', ...J }, json('{"products":[{"id":1},{"id":2}]}'));
    await collect(client.windowPages({ resource: 'orders', lo: LO, hi: HI, afterId: 0, pageSize: 4 }));
    expect(await collect(client.idPages('products', { pageSize: 3 }))).toEqual([[1, 2]]);
  });
});

describe('other sync calls', () => {
  it('probes the newest date_upd', async () => {
    const h = harness();
    const probe = { display: '[id,date_upd]', sort: '[date_upd_DESC,id_DESC]', limit: '1', date: '1', ...J };
    h.shop.expect('/api/customers', probe, json('{"customers":[{"id":42,"date_upd":"2024-05-01 12:00:00"}]}'));
    h.shop.expect('/api/customers', probe, json('[]'));
    expect(await h.client.newestDateUpd('customers')).toEqual({ id: 42, dateUpd: '2024-05-01 12:00:00' });
    expect(await h.client.newestDateUpd('customers')).toBeNull();
  });

  it('reads a reference table in keyset pages when a page size is set', async () => {
    const h = harness();
    const client = h.make({ pageSize: 2 });
    const q = (after: number) => ({ display: 'full', 'filter[id]': `>[${after}]`, sort: '[id_ASC]', limit: '2', ...J });
    const state = (id: number) => ({ id, name: [{ id: '1', value: `S${id}` }, { id: '2', value: `É${id}` }], logable: '1', paid: '0' });
    h.shop
      .expect('/api/order_states', q(0), json(JSON.stringify({ order_states: [state(1), state(2)] })))
      .expect('/api/order_states', q(2), json(JSON.stringify({ order_states: [state(3), { ...state(4), logable: 'yes' }] })))
      .expect('/api/order_states', q(4), json('[]'));
    const { records, rejected } = await client.listAll('order_states');
    expect(records.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rejected).toEqual([{ id: 4, reason: expect.stringContaining('logable'), payload: expect.objectContaining({ id: 4 }) }]);
  });

  it('pages through every id', async () => {
    const h = harness();
    const q = (after: number) => ({ display: '[id]', 'filter[id]': `>[${after}]`, sort: '[id_ASC]', limit: '2', ...J });
    h.shop.expect('/api/customers', q(0), json('{"customers":[{"id":1},{"id":2}]}')).expect('/api/customers', q(2), json('{"customers":[{"id":4}]}'));
    expect(await collect(h.client.idPages('customers', { pageSize: 2 }))).toEqual([[1, 2], [4]]);
  });
});
