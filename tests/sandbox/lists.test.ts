/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- response bodies and records are parsed JSON, walked as such */
import type { Sandbox } from '../../sandbox';
import { callJson, start, type Json } from './support';

const ids = (body: Json, resource = 'orders'): number[] =>
  Array.isArray(body) ? [] : (body[resource] as Array<{ id: number }>).map((r) => r.id);
const ascending = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** List semantics of docs/prestashop-webservice.md §4: filters, BETWEEN, date=1, sort, limit, display, keyset. */
describe('sandbox lists', () => {
  let sb: Sandbox;
  let orders: Json[];
  beforeAll(async () => {
    sb = await start({ orders: 300, customers: 60 });
    orders = sb.control.records('orders');
  });
  afterAll(() => sb.close());

  test('no sort: no default order (not by id), but the same order every time; no default limit', async () => {
    const first = ids((await callJson(sb, '/api/orders')).json());
    const second = ids((await callJson(sb, '/api/orders')).json());
    expect(first).toEqual(second);
    expect(first).toHaveLength(300);
    expect(first).not.toEqual(ascending(first));
    expect(ascending(first)).toEqual(orders.map((o) => o.id));
  });

  test('sort=[id_ASC] / [id_DESC] / bare id_DESC, and several keys', async () => {
    const asc = ids((await callJson(sb, '/api/orders?sort=[id_ASC]')).json());
    expect(asc).toEqual(ascending(asc));
    const desc = ids((await callJson(sb, '/api/orders?sort=[id_DESC]')).json());
    expect(desc).toEqual([...asc].reverse());
    expect(ids((await callJson(sb, '/api/orders?sort=id_DESC&limit=3')).json())).toEqual(desc.slice(0, 3));
    const multi = ids((await callJson(sb, '/api/orders?sort=[current_state_ASC,id_DESC]')).json());
    const expected = [...orders]
      .sort((a, b) => Number(a.current_state) - Number(b.current_state) || b.id - a.id)
      .map((o) => o.id);
    expect(multi).toEqual(expected);
  });

  test('date_upd needs date=1 to be sorted; the newest-date_upd probe matches the records', async () => {
    const probe = (await callJson(sb, '/api/orders?display=[id,date_upd]&date=1&sort=[date_upd_DESC,id_DESC]&limit=1')).json();
    const newest = [...orders].sort((a, b) => (a.date_upd < b.date_upd ? 1 : a.date_upd > b.date_upd ? -1 : b.id - a.id))[0];
    expect(probe).toEqual({ orders: [{ id: newest.id, date_upd: newest.date_upd }] });
    // display=[...,date_upd] alone does not need date=1.
    expect((await callJson(sb, '/api/orders?display=[id,date_upd]&limit=1')).status).toBe(200);
  });

  test('BETWEEN is inclusive on both ends, whatever the bound order', async () => {
    const sorted = [...orders].sort((a, b) => (a.date_upd < b.date_upd ? -1 : a.date_upd > b.date_upd ? 1 : 0));
    const lo = sorted[50].date_upd as string;
    const hi = sorted[120].date_upd as string;
    const expected = orders.filter((o) => o.date_upd >= lo && o.date_upd <= hi).map((o) => o.id);
    const forward = ids((await callJson(sb, `/api/orders?date=1&filter[date_upd]=[${lo},${hi}]&sort=[id_ASC]`)).json());
    expect(forward).toEqual(expected);
    expect(forward).toContain(sorted[50].id);
    expect(forward).toContain(sorted[120].id);
    const reversed = ids((await callJson(sb, `/api/orders?date=1&filter[date_upd]=[${hi},${lo}]&sort=[id_ASC]`)).json());
    expect(reversed).toEqual(expected);
    const idRange = ids((await callJson(sb, '/api/orders?filter[id]=[10,20]&sort=[id_ASC]')).json());
    expect(idRange).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  test('a bound outside the interval pattern falls to equality and silently matches nothing', async () => {
    const reply = await callJson(sb, '/api/orders?date=1&filter[date_upd]=[2020-01-01T00:00:00,2030-01-01T00:00:00]');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('[]');
  });

  test('> and < are strict; [a|b] is a set; bare and bracketed values are equality', async () => {
    expect(ids((await callJson(sb, '/api/orders?filter[id]=>[295]&sort=[id_ASC]')).json())).toEqual([296, 297, 298, 299, 300]);
    expect(ids((await callJson(sb, '/api/orders?filter[id]=<[4]&sort=[id_ASC]')).json())).toEqual([1, 2, 3]);
    expect(ascending(ids((await callJson(sb, '/api/orders?filter[id]=[7|3|250]')).json()))).toEqual([3, 7, 250]);
    expect(ids((await callJson(sb, '/api/orders?filter[id]=[9]')).json())).toEqual([9]);
    expect(ids((await callJson(sb, '/api/orders?filter[id]=9')).json())).toEqual([9]);
    const valid = ids((await callJson(sb, '/api/orders?filter[valid]=[1]&sort=[id_ASC]')).json());
    expect(valid).toEqual(orders.filter((o) => o.valid === '1').map((o) => o.id));
    const notCancelled = ids((await callJson(sb, '/api/orders?filter[current_state]=![6|8]&sort=[id_ASC]')).json());
    expect(notCancelled).toEqual(orders.filter((o) => o.current_state !== 6 && o.current_state !== 8).map((o) => o.id));
  });

  test('text filters: case-insensitive equality and LIKE', async () => {
    const customers: Json[] = sb.control.records('customers');
    const target = customers[0]!;
    const eq = ids((await callJson(sb, `/api/customers?filter[email]=[${encodeURIComponent(target.email.toUpperCase())}]`)).json(), 'customers');
    expect(eq).toEqual([target.id]);
    const like = ids((await callJson(sb, '/api/customers?filter[email]=%[.1@]%&sort=[id_ASC]')).json(), 'customers');
    expect(like).toEqual(customers.filter((c) => c.email.includes('.1@')).map((c) => c.id));
    expect(like.length).toBeGreaterThan(0);
  });

  test('limit: N, offset,N, 0 and garbage give nothing, three parts is code 39', async () => {
    const all = ids((await callJson(sb, '/api/orders?sort=[id_ASC]')).json());
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=5')).json())).toEqual(all.slice(0, 5));
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=10,5')).json())).toEqual(all.slice(10, 15));
    expect((await callJson(sb, '/api/orders?limit=0')).text).toBe('[]');
    expect((await callJson(sb, '/api/orders?limit=abc')).text).toBe('[]');
    expect((await callJson(sb, '/api/orders?limit=-3')).text).toBe('[]');
    const bad = await callJson(sb, '/api/orders?limit=1,2,3');
    expect(bad.status).toBe(500);
    expect(bad.json().errors.map((e: Json) => e.code)).toEqual([39, 3, 3, 3, 3]);
  });

  test('keyset pages over a date window return exactly the window', async () => {
    const sorted = [...orders].map((o) => o.date_upd as string).sort();
    const lo = sorted[30]!;
    const hi = sorted[260]!;
    const expected = orders.filter((o) => o.date_upd >= lo && o.date_upd <= hi).map((o) => o.id);
    const seen: number[] = [];
    let last = 0;
    for (;;) {
      const q = `/api/orders?date=1&display=full&filter[date_upd]=[${lo},${hi}]&filter[id]=>[${last}]&sort=[id_ASC]&limit=40`;
      const body = (await callJson(sb, q)).json();
      const page = ids(body);
      seen.push(...page);
      if (page.length < 40) break;
      last = page[page.length - 1]!;
    }
    expect(seen).toEqual(expected);
  });

  test('display: [fields] keeps the resource order; sub-fields of an association; 35 and 36 for bad ones', async () => {
    const body = (await callJson(sb, '/api/orders?display=[reference,id,order_rows[product_id,id]]&filter[id]=[1]')).json();
    expect(Object.keys(body.orders[0])).toEqual(['id', 'reference', 'associations']);
    expect(Object.keys(body.orders[0].associations.order_rows[0])).toEqual(['id', 'product_id']);
    const unknown = await callJson(sb, '/api/orders?display=[id,colour]');
    expect([unknown.status, unknown.json().errors[0].code]).toEqual([500, 35]);
    const syntax = await callJson(sb, '/api/orders?display=id');
    expect([syntax.status, syntax.json().errors[0].code]).toEqual([500, 36]);
    // A single record checks display outside manageFilters: a plain 400, no PHP warnings.
    const single = await callJson(sb, '/api/orders/1?display=[id,colour]');
    expect([single.status, single.json().errors.map((e: Json) => e.code)]).toEqual([400, [35]]);
  });

  test('filter errors: unknown 32, empty 33, getter 34; sort errors 37 and 38 (8.1: 500 and four PHP warnings, 1.7: 400)', async () => {
    const cases: Array<[string, number]> = [
      ['/api/orders?filter[colour]=[1]', 32],
      ['/api/orders?filter[id]=', 33],
      ['/api/orders?filter[shipping_number]=[X]', 34],
      ['/api/orders?sort=[id]', 37],
      ['/api/orders?sort=[colour_ASC]', 38],
      ['/api/orders?date=1&sort=[date_upd_UP]', 37],
    ];
    const sb17 = await start({ version: '1.7', orders: 20 });
    try {
      for (const [q, code] of cases) {
        const reply = await callJson(sb, q);
        expect([q, reply.status, reply.json().errors.map((e: Json) => e.code)]).toEqual([q, 500, [code, 3, 3, 3, 3]]);
        expect(reply.json().errors[4].message).toBe(
          '[PHP Warning #2] Trying to access array offset on value of type bool (/var/www/html/classes/webservice/WebserviceRequest.php, line 1336)',
        );
        const old = await callJson(sb17, q);
        expect([q, old.status, old.json().errors.map((e: Json) => e.code)]).toEqual([q, 400, [code]]);
      }
    } finally {
      await sb17.close();
    }
    // With date=1 the same date filter is accepted.
    expect((await callJson(sb, '/api/orders?date=1&filter[date_add]=>[2000-01-01 00:00:00]&limit=1')).status).toBe(200);
  });
});
