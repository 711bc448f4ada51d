import { createShopApi, type PrestaShopClient } from '../../shared/prestashop/client';
import { PrestaShopError } from '../../shared/prestashop/errors';
import { RESOURCES, type ShopResource } from '../../shared/prestashop/resources';
import { idOnlySchema, parseRows } from '../../shared/prestashop/schemas';
import { RecordedShop, type RecordedRoute } from '../support/recordedShop';
import { recordedList, recording, recordingNames, recordingsAvailable, skippedLine } from '../support/realShopRecordings';

/**
 * The client against what a real PrestaShop 8.1.2 answered (integers as JSON numbers, mixed types in one list,
 * bad parameters as 500 with PHP warnings, [] for an empty list, an empty 404): these recordings outrank any other
 * description of the webservice.
 */
const KEY = 'REALSHOP0RECORDING0TEST0KEY00001';
const describeWithRecordings = recordingsAvailable() ? describe : describe.skip;
if (!recordingsAvailable()) console.log(skippedLine('tests/prestashop/realShop.test.ts'));

function resourceOfListKey(key: string): ShopResource | undefined {
  return (Object.keys(RESOURCES) as ShopResource[]).find((name) => RESOURCES[name].listKey === key);
}

describeWithRecordings('every response recorded from a real PrestaShop 8.1.2', () => {
  const lists = recordingsAvailable() ? recordingNames().flatMap((name) => {
    const list = recordedList(recording(name));
    return list ? [{ name, ...list }] : [];
  }) : [];

  it('includes the lists the sync reads', () => {
    expect(lists.map((l) => l.key)).toEqual(expect.arrayContaining(['customers', 'products', 'orders', 'order_states', 'currencies', 'languages', 'configurations', 'order_details', 'order_slips', 'order_payments', 'order_histories', 'order_cart_rules']));
  });

  it.each(lists.map((l) => [l.name, l] as const))('%s parses with no record rejected', (_name, list) => {
    const resource = resourceOfListKey(list.key);
    const fullRows = list.rows.some((row) => Object.keys(row as object).length > 3);
    const schema = resource && fullRows ? RESOURCES[resource].schema : idOnlySchema;
    const parsed = parseRows(list.rows, schema);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.records.every((r) => typeof r.id === 'number' && r.id > 0)).toBe(true);
  });
});

describeWithRecordings('the client against recorded answers', () => {
  let shop: RecordedShop;
  let routes: RecordedRoute[] = [];
  let client: PrestaShopClient;

  beforeEach(async () => {
    routes = [];
    shop = await RecordedShop.start(KEY, () => routes);
    client = createShopApi({ baseUrl: shop.baseUrl, apiKey: () => Promise.resolve(KEY), requestTimeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 2000 } });
  });

  afterEach(async () => {
    await shop.close();
    expect(shop.unexpected).toEqual([]);
  });

  const serve = (path: string, name: string, when: (q: URLSearchParams) => boolean = () => true): void => {
    routes.push({ path, when, reply: recording(name) });
  };

  it.each([
    ['orders_bad_filter_field', 32],
    ['orders_date_no_date1', 32],
    ['orders_bad_sort', 38],
    ['orders_bad_field', 35],
  ])('fails at once on %s (HTTP 500 with the shop message and PHP warnings): no retry, no split', async (name, code) => {
    serve('/api/orders', name);
    const listing = client.keysetPages({ resource: 'orders', window: { field: 'date_upd', lo: '2026-01-01 00:00:00', hi: '2026-12-31 00:00:00' }, afterId: 0, pageSize: 5, display: 'full' });
    const error = await (async () => {
      try {
        for await (const page of listing) void page;
      } catch (caught) {
        return caught as PrestaShopError;
      }
      throw new Error('expected a failure');
    })();
    expect(error).toBeInstanceOf(PrestaShopError);
    expect(error).toMatchObject({ kind: 'request', status: 500, retryable: false });
    expect(error.codes[0]).toBe(code);
    expect(error.message).toMatch(/PHP warning/);
    expect(shop.requests).toHaveLength(1);
  });

  it('reads one order, a missing one as null, and an empty list as the end of a listing', async () => {
    serve('/api/orders/1', 'order_1');
    serve('/api/orders/999', 'order_404');
    serve('/api/orders', 'orders_date_filter_empty');
    // Recorded without display (so 8.1's array_filter dropped "valid":"0"); the client asks display=full, which PrestaShop
    // answers as a one-item list with every field.
    expect(await client.fetchById('orders', 1)).toMatchObject({ id: 1, current_state: 6, id_customer: 2 });
    expect(shop.requests[0]?.searchParams.get('display')).toBe('full');
    expect(await client.fetchById('orders', 999)).toBeNull();
    expect(await client.list('orders', { display: ['id'] })).toEqual({ records: [], rejected: [] });
  });

  it('reads both language records of a list that mixes numbers and strings', async () => {
    serve('/api/languages', 'languages_with_mixed_types');
    const { records, rejected } = await client.listAll('languages');
    expect(rejected).toEqual([]);
    expect(records.map((r) => [r.id, r.active])).toEqual([[1, 1], [2, '1']]);
  });

  it.each([
    ['orders_no_auth', 401, /check the webservice key/],
    ['orders_bad_key', 401, /#20 Authentification key is not active/],
    ['employees_forbidden', 401, /#26/],
  ])('fails once, not retried, on %s', async (name, status, message) => {
    serve('/api/orders', name);
    const error = (await client.list('orders', { display: 'full' }).catch((caught: unknown) => caught)) as PrestaShopError;
    expect(error).toMatchObject({ status, retryable: false });
    expect(error.message).toMatch(message);
    expect(shop.requests).toHaveLength(1);
  });
});
