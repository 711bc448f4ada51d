/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- fixtures and answers are parsed JSON */
import type { Sandbox } from '../../sandbox';
import { jsonType, profile, profileDifferences } from './jsonProfile';
import { callJson, fixture, fixtureText, start, type Json } from './support';

const v81 = (name: string): string => `v8.1/${name}`;

/** Each 8.1 fixture has the field names and JSON types of the sandbox's 8.1 answer to the same request. */
describe('the 8.1 fixtures against the sandbox (8.1)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ version: '8.1', languages: 2 });
  });
  afterAll(() => sb.close());

  test.each([
    ['customers-list-full.json', '/api/customers?display=full'],
    ['orders-list-full.json', '/api/orders?display=full'],
    ['products-list-full.json', '/api/products?display=full'],
    ['order-states-list-full.json', '/api/order_states?display=full'],
    ['currencies-list-full.json', '/api/currencies?display=full'],
  ])('%s: the fields and types of %s', async (file, request) => {
    const ours: Json = fixture(v81(file));
    const reply = await callJson(sb, request);
    expect(reply.status).toBe(200);
    const answer: Json = reply.json();
    expect(Object.keys(ours)).toEqual(Object.keys(answer));
    expect(profileDifferences(profile(ours), profile(answer))).toEqual([]);
  });

  test('the fixtures show what they claim: a guest, a foreign currency, a zero invoice date, a product without a manufacturer', () => {
    const customers: Json[] = (fixture(v81('customers-list-full.json')) as Json).customers;
    expect(customers.map((c) => c.is_guest).sort()).toEqual(['0', '0', '1']);
    const orders: Json[] = (fixture(v81('orders-list-full.json')) as Json).orders;
    expect(orders.some((o) => o.id_currency !== 1 && o.conversion_rate !== '1.000000')).toBe(true);
    expect(orders.some((o) => o.invoice_date === '0000-00-00 00:00:00')).toBe(true);
    const products: Json[] = (fixture(v81('products-list-full.json')) as Json).products;
    expect(products.map((p) => typeof p.manufacturer_name).sort()).toEqual(['boolean', 'string']);
    expect(products[0].name).toEqual([{ id: 1, value: expect.any(String) }, { id: 2, value: expect.any(String) }]);
  });

  test('languages-list-full.json: the mixed types, record by record, as the sandbox sends them', async () => {
    const ours: Json[] = (fixture(v81('languages-list-full.json')) as Json).languages;
    const answer: Json[] = (await callJson(sb, '/api/languages?display=full')).json().languages;
    const types = (record: Json): Array<[string, string]> => Object.entries(record).map(([k, v]) => [k, jsonType(v)]);
    expect(answer.map(types)).toEqual(ours.map(types));
    expect([ours[0].active, ours[1].active]).toEqual([1, '1']);
  });

  test('PS_TIMEZONE, the empty list and the bad-filter 500: byte for byte the sandbox answer', async () => {
    const tz = await callJson(sb, '/api/configurations?display=[id,name,value]&filter[name]=[PS_TIMEZONE]');
    expect(tz.text).toBe(fixtureText(v81('configurations-ps-timezone.json')));
    const empty = await callJson(sb, '/api/orders?display=full&date=1&filter[date_upd]=[2031-01-01 00:00:00,2031-01-31 23:59:59]');
    expect([empty.status, empty.text]).toEqual([200, fixtureText(v81('empty-list.json'))]);
    const bad = await callJson(sb, '/api/orders?display=full&filter[colour]=[red]');
    expect([bad.status, bad.text]).toEqual([500, fixtureText(v81('error-500-bad-filter.json'))]);
  });
});
