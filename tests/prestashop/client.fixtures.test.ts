import { readdirSync } from 'node:fs';
import type { Page } from '../../shared/prestashop/api';
import { PrestaShopError } from '../../shared/prestashop/errors';
import { languageValue } from '../../shared/prestashop/schemas';
import { FIXTURES, fixture, json, xml } from './support/fakeShop';
import { useHarness } from './support/harness';

const harness = useHarness();
const J = { output_format: 'JSON' };
const FULL = { display: 'full', ...J };
const LO = '2022-01-01 00:00:00';
const HI = '2022-12-31 23:59:59';
const windowQuery = (afterId: number, limit: number, display = 'full') => ({
  display,
  'filter[date_upd]': `[${LO},${HI}]`,
  'filter[id]': `>[${afterId}]`,
  sort: '[id_ASC]',
  limit: String(limit),
  date: '1',
  ...J,
});

/** The highest-id probe that confirms a short page ends the window. */
const probe = (afterId: number) => ({ display: '[id]', 'filter[date_upd]': `[${LO},${HI}]`, 'filter[id]': `>[${afterId}]`, sort: '[id_DESC]', limit: '1', date: '1', ...J });

async function collect(pages: AsyncIterable<Page>): Promise<Page[]> {
  const all: Page[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

function asShopError(error: Error): PrestaShopError {
  expect(error).toBeInstanceOf(PrestaShopError);
  return error as PrestaShopError;
}

const used = new Set<string>();
const use = (name: string): string => {
  used.add(name);
  return fixture(name);
};

afterAll(() => {
  // Every fixture of the reference set is exercised by some test in this file (v8.1/ is a set of its own).
  const all = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'README.md')
    .map((entry) => entry.name);
  expect(all.filter((f) => !used.has(f))).toEqual([]);
});

describe('lists', () => {
  it('reads customers with display=full as received, through Basic auth', async () => {
    const h = harness();
    h.shop.expect('/api/customers', FULL, json(use('customers-list-full.json')));
    const { records, rejected } = await h.client.list('customers', { display: 'full' });
    expect(rejected).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: 1, date_upd: '2022-05-17 17:49:52', birthday: '0000-00-00', reset_password_validity: null });
    expect(h.shop.seen[0]?.headers.authorization).toBe(h.shop.authorization);
  });

  it('reads an id-only list, unsorted as the shop gives it', async () => {
    const h = harness();
    h.shop.expect('/api/customers', J, json(use('customers-list-minimal.json')));
    const { records } = await h.client.list('customers', {});
    expect(records.map((r) => r.id)).toEqual([1, 2, 4, 3]);
  });

  it('walks an orders window with order_rows', async () => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 2), json(use('orders-list-full.json')));
    h.shop.expect('/api/orders', probe(0), json('{"orders":[{"id":1}]}'));
    const pages = await collect(h.client.keysetPages({ resource: 'orders', window: { field: 'date_upd', lo: LO, hi: HI }, afterId: 0, pageSize: 2, display: 'full' }));
    expect(pages).toHaveLength(1);
    const [page] = pages as [Page];
    expect(page).toMatchObject({ lastId: 1, last: true, rejected: [] });
    expect((page.records[0]?.associations as { order_rows: unknown[] }).order_rows).toHaveLength(2);
  });

  it('reads products in a single-language shop: translatable fields are plain strings', async () => {
    const h = harness();
    h.shop.expect('/api/products', FULL, json(use('products-list-full.json')));
    const { records, rejected } = await h.client.list('products', { display: 'full' });
    expect(rejected).toEqual([]);
    expect(languageValue(records[0]?.name, 1)).toBe('Hummingbird printed t-shirt');
  });

  it.each([
    ['order_states', 'order-states-list-full.json', { id: 2, name: 'Payment accepted' }],
    ['currencies', 'currencies-list-full.json', { id: 1, iso_code: 'USD', conversion_rate: '1.000000' }],
    ['configurations', 'configurations-list-full.json', { id: 354, value: null, id_shop: '' }],
  ] as const)('reads the whole %s table', async (resource, file, expected) => {
    const h = harness();
    h.shop.expect(`/api/${resource}`, FULL, json(use(file)));
    const { records, rejected } = await h.client.listAll(resource);
    expect(rejected).toEqual([]);
    expect(records).toEqual([expect.objectContaining(expected)]);
  });

  it.each([
    ['order_details', 'order-details-list-full.json'],
    ['order_histories', 'order-histories-list-full.json'],
    ['order_payments', 'order-payments-list-full.json'],
  ])('reads %s through the general list call', async (resource, file) => {
    const h = harness();
    h.shop.expect(`/api/${resource}`, FULL, json(use(file)));
    const { records, rejected } = await h.client.list(resource, { display: 'full' });
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.id)).toEqual([1]);
  });

  it.each(['empty-list.json', 'empty-list-8x.json'])('takes %s as an exhausted window', async (file) => {
    const h = harness();
    h.shop.expect('/api/orders', windowQuery(0, 50), json(use(file)));
    h.shop.expect('/api/orders', probe(0), json(use(file)));
    const pages = await collect(h.client.keysetPages({ resource: 'orders', window: { field: 'date_upd', lo: LO, hi: HI }, afterId: 0, pageSize: 50, display: 'full' }));
    expect(pages).toEqual([{ records: [], rejected: [], lastId: null, last: true }]);
  });

  it('takes an object without the plural key as empty', async () => {
    const h = harness();
    h.shop.expect('/api/customers', FULL, json('{}'));
    expect(await h.client.list('customers', { display: 'full' })).toEqual({ records: [], rejected: [] });
  });

  it('refuses an envelope with another key', async () => {
    const h = harness();
    h.shop.expect('/api/customers', FULL, json('{"":[{"id":1}]}'));
    const error = asShopError(await h.failure(() => h.client.list('customers', { display: 'full' })));
    expect(error.message).toMatch(/expected \{"customers":\[\.\.\.\]\}/);
  });
});

describe('single records', () => {
  it.each(['orders-single.json', 'orders-single-8x.json', 'orders-single-display-full.json'])('reads order 5 from %s', async (file) => {
    const h = harness();
    h.shop.expect('/api/orders/5', FULL, json(use(file)));
    const order = await h.client.fetchById('orders', 5);
    expect(order).toMatchObject({ id: 5, date_upd: '2024-03-15 09:12:03', conversion_rate: '1.089500' });
    expect((order?.associations as { order_rows: unknown[] }).order_rows).toHaveLength(2);
  });

  it('reads a two-language product: translatable fields are {id,value} lists', async () => {
    const h = harness();
    h.shop.expect('/api/products/1', FULL, json(use('products-single.json')));
    const product = await h.client.fetchById('products', 1);
    expect(languageValue(product?.name, 1)).toBe('Hummingbird printed t-shirt');
    expect(languageValue(product?.name, 2)).toBe('T-shirt imprimé colibri');
    expect(languageValue(product?.name, 3)).toBeNull();
  });

  it('gives null for a record not linked to the shop (404 code 131), and fails on an unknown shop (404 code 999)', async () => {
    const h = harness();
    h.shop.expect('/api/products/3', FULL, json('{"errors":[{"code":131,"message":"Product not found in this shop"}]}', 404));
    h.shop.expect('/api/products/3', FULL, json('{"errors":[{"code":999,"message":"No shop found"}]}', 404));
    expect(await h.client.fetchById('products', 3)).toBeNull();
    const error = asShopError(await h.failure(() => h.client.fetchById('products', 3)));
    expect(error).toMatchObject({ status: 404, codes: [999], retryable: false });
  });

  it('gives null for a 404 with an empty body', async () => {
    const h = harness();
    h.shop.expect('/api/orders/999999', FULL, { status: 404, body: '' });
    expect(await h.client.fetchById('orders', 999999)).toBeNull();
  });
});

describe('errors', () => {
  it.each([
    ['error-400-bad-filter.json', 400, [32], 'request'],
    ['error-400-bad-sort.json', 400, [38], 'request'],
    ['error-401.json', 401, [20, 21], 'http'],
    ['error-401-bad-format.json', 401, [18], 'http'],
  ] as const)('%s fails at once with status and codes', async (file, status, codes, kind) => {
    const h = harness();
    h.shop.expect('/api/orders', FULL, json(use(file), status));
    const error = asShopError(await h.failure(() => h.client.list('orders', { display: 'full' })));
    expect(error).toMatchObject({ status, codes, retryable: false, resource: 'orders', kind });
    expect(error.url).toBe(`${h.shop.baseUrl}api/orders?display=full&output_format=JSON`);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('reports an unknown resource (code 27)', async () => {
    const h = harness();
    h.shop.expect('/api/custmers', FULL, json(use('error-400-unknown-resource.json'), 400));
    const error = asShopError(await h.failure(() => h.client.list('custmers', { display: 'full' })));
    expect(error.codes).toEqual([27]);
    expect(error.message).toContain('Did you mean: "customers"');
  });

  it('parses the XML errors envelope', async () => {
    const h = harness();
    h.shop.expect('/api/orders', FULL, xml(use('error-401.xml'), 401));
    const error = asShopError(await h.failure(() => h.client.list('orders', { display: 'full' })));
    expect(error.errors).toEqual([
      { code: 20, message: 'Authentification key is not active' },
      { code: 21, message: 'No permission for this authentication key' },
    ]);
  });

  it('reads the plain-text 401 of a request the shop saw without a key', async () => {
    const h = harness();
    h.shop.expect('/api/orders', FULL, { status: 401, body: use('error-401-no-key.txt'), headers: { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="Welcome to PrestaShop Webservice"' } });
    const error = asShopError(await h.failure(() => h.client.list('orders', { display: 'full' })));
    expect(error).toMatchObject({ status: 401, retryable: false, errors: [{ code: null, message: '401 Unauthorized' }] });
  });

  it('fails fast on 503 webservice disabled (code 22)', async () => {
    const h = harness();
    h.shop.expect('/api/orders', FULL, json(use('error-503-disabled.json'), 503));
    const error = asShopError(await h.failure(() => h.client.list('orders', { display: 'full' })));
    expect(error).toMatchObject({ status: 503, codes: [22], retryable: false });
    expect(error.message).toMatch(/switched off/);
  });

  it('retries a 500 PHP notice (JSON), then reports its message', async () => {
    const h = harness();
    const body = use('error-500-php-notice.json');
    for (let i = 0; i < 3; i++) h.shop.expect('/api/order_states', FULL, json(body, 500));
    const error = asShopError(await h.failure(() => h.client.listAll('order_states')));
    expect(error).toMatchObject({ status: 500, codes: [5], retryable: true });
    expect(error.message).toMatch(/gave up after 3 attempts/);
    expect(error.message).toContain('[PHP Notice #8] Trying to access array offset on value of type null');
  });

  it('reads the CDATA of a 500 PHP notice in XML', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 1 } });
    h.shop.expect('/api/orders', FULL, xml(use('error-500-php-notice.xml'), 500));
    const error = asShopError(await h.failure(() => client.list('orders', { display: 'full' })));
    expect(error.errors).toEqual([{ code: 5, message: '[PHP Notice #8] Trying to access array offset on value of type null ([...]/classes/webservice/WebserviceOutputBuilder.php, line 716)' }]);
  });

  it('treats a 500 carrying partial data as a failure', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 1 } });
    h.shop.expect('/api/orders', FULL, json('{"":[{"id":1}],"errors":[{"code":5,"message":"[PHP Notice #8] x"}]}', 500));
    const error = asShopError(await h.failure(() => client.list('orders', { display: 'full' })));
    expect(error).toMatchObject({ status: 500, codes: [5] });
  });

  it('treats any errors key as a failure, even on 200', async () => {
    const h = harness();
    h.shop.expect('/api/orders', FULL, json('{"orders":[],"errors":[{"code":5,"message":"notice"}]}', 200));
    const error = asShopError(await h.failure(() => h.client.list('orders', { display: 'full' })));
    expect(error).toMatchObject({ status: 200, codes: [5], retryable: false });
  });

  it.each(['customers-list-full.xml', 'empty-list.xml', 'addresses-list-minimal.xml', 'addresses-single.xml'])(
    'refuses an XML answer (%s) where JSON was asked',
    async (file) => {
      const h = harness();
      h.shop.expect('/api/customers', FULL, xml(use(file), 200));
      const error = asShopError(await h.failure(() => h.client.list('customers', { display: 'full' })));
      expect(error).toMatchObject({ kind: 'content-type', retryable: false });
      expect(error.message).toMatch(/expected application\/json, got text\/xml/);
    },
  );

  it('refuses an HTML page on 200 (the /api/ route falling through to the shop)', async () => {
    const h = harness();
    h.shop.expect('/api/customers', FULL, { status: 200, body: '<html><title>Shop</title><body>Welcome</body></html>', headers: { 'Content-Type': 'text/html' } });
    const error = asShopError(await h.failure(() => h.client.list('customers', { display: 'full' })));
    expect(error.message).toMatch(/got text\/html/);
  });
});

describe('shop clock', () => {
  const tzQuery = { display: '[id,name,value]', 'filter[name]': '[PS_TIMEZONE]', ...J };

  it('takes now from Access-Time and the zone from PS_TIMEZONE, then caches the zone', async () => {
    const h = harness();
    h.shop.expect('/api/configurations', tzQuery, json(use('configurations-ps-timezone.json'), 200, { 'Access-Time': '1729992600' }));
    h.shop.expect('/api/configurations', tzQuery, json(fixture('configurations-ps-timezone.json'), 200, { 'Access-Time': '1729996200' }));
    // 2024-10-27T01:30:00Z and 02:30Z: either side of the Paris fall-back.
    expect(await h.client.now()).toEqual({ utc: new Date('2024-10-27T01:30:00Z'), local: '2024-10-27 02:30:00', timeZone: 'Europe/Paris' });
    expect(await h.client.timeZone()).toBe('Europe/Paris');
    expect(await h.client.now()).toMatchObject({ local: '2024-10-27 03:30:00' });
  });

  it('lets the override win over PS_TIMEZONE', async () => {
    const h = harness();
    const client = h.make({ timeZone: 'America/New_York' });
    h.shop.expect('/api/configurations', tzQuery, json(fixture('configurations-ps-timezone.json'), 200, { 'Access-Time': '1717236000' }));
    expect(await client.now()).toEqual({ utc: new Date('2024-06-01T10:00:00Z'), local: '2024-06-01 06:00:00', timeZone: 'America/New_York' });
  });

  it('rejects an invalid override and an invalid PS_TIMEZONE', async () => {
    const h = harness();
    expect(() => h.make({ timeZone: 'Europe/Pariss' })).toThrow(/Unknown time zone/);
    h.shop.expect('/api/configurations', tzQuery, json('{"configurations":[{"id":67,"value":"CET+1","name":"PS_TIMEZONE"}]}'));
    const error = await h.failure(() => h.client.now());
    expect(error.message).toMatch(/PS_TIMEZONE "CET\+1" is not a known IANA time zone/);
  });
});
