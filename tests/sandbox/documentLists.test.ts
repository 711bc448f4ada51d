/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- response bodies are parsed JSON */
import type { ResourceName, Sandbox } from '../../sandbox';
import { call, callJson, start, type Json } from './support';

const NEW_RESOURCES: ReadonlyArray<readonly [ResourceName, string]> = [
  ['order_details', 'order_details'], ['order_slip', 'order_slips'], ['order_payments', 'order_payments'],
  ['order_histories', 'order_histories'], ['order_cart_rules', 'order_cart_rules'], ['categories', 'categories'],
  ['manufacturers', 'manufacturers'], ['carriers', 'carriers'], ['addresses', 'addresses'], ['countries', 'countries'],
  ['combinations', 'combinations'], ['stock_availables', 'stock_availables'],
];

const byId = (a: Json, b: Json): number => a.id - b.id;

/** The new resources answer lists, filters, sorts, single records and errors like the existing ones. */
describe('order documents and catalog over the webservice', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ orders: 600, customers: 120, products: 30, languages: 2 });
  });
  afterAll(() => sb.close());

  test.each(NEW_RESOURCES)('%s: display=full under "%s" is control.records; one record by id; a missing id is a 404', async (resource, key) => {
    const body = (await callJson(sb, `/api/${resource}?display=full`)).json();
    expect(Object.keys(body)).toEqual([key]);
    const records = sb.control.records(resource);
    expect(records.length).toBeGreaterThan(2);
    expect([...body[key]].sort(byId)).toEqual(records);
    const one = records[Math.floor(records.length / 2)]!;
    expect((await callJson(sb, `/api/${resource}?display=full&filter[id]=[${one.id}]`)).json()[key]).toEqual([one]);
    const single = await callJson(sb, `/api/${resource}/${one.id}?display=full`);
    expect(single.json()[key]).toEqual([one]);
    expect((await callJson(sb, `/api/${resource}/99999999`)).status).toBe(404);
  });

  test('8.1 types: ids and integer columns are numbers, money, flags and dates strings; 1.7 all strings', async () => {
    const detail = (await callJson(sb, '/api/order_details?display=full&limit=1')).json().order_details[0];
    expect([typeof detail.id_order, typeof detail.product_quantity, typeof detail.product_quantity_refunded, typeof detail.unit_price_tax_incl]).toEqual(['number', 'number', 'number', 'string']);
    const category = sb.control.get('categories', 3)!;
    expect([typeof category.level_depth, typeof category.id_parent, typeof category.position, typeof category.active, typeof category.nb_products_recursive]).toEqual(['number', 'number', 'number', 'string', 'number']);
    expect(category.associations).toMatchObject({ categories: [{ id: 4 }, { id: 5 }] });
    const stock = sb.control.records('stock_availables')[0]!;
    expect([typeof stock.quantity, typeof stock.out_of_stock, typeof stock.depends_on_stock]).toEqual(['number', 'number', 'string']);
    const combos = sb.control.records('combinations');
    expect(combos.filter((c) => c.default_on === '1').length).toBeGreaterThan(0);
    expect(combos.filter((c) => c.default_on === '').length).toBeGreaterThan(0);
    expect('quantity' in combos[0]!).toBe(false);
    const slip = sb.control.records('order_slip')[0]!;
    expect([typeof slip.partial, typeof slip.shipping_cost, typeof (slip.associations as Json).order_slip_details[0].id_order_detail]).toEqual(['number', 'string', 'number']);
    const country = sb.control.get('countries', 8)!;
    expect(country).toMatchObject({ iso_code: 'FR', call_prefix: 33, name: [{ id: 1, value: 'France' }, { id: 2, value: 'France' }] });

    const old = await start({ version: '1.7', orders: 50, products: 30 });
    try {
      for (const [resource] of NEW_RESOURCES) {
        const record = old.control.records(resource)[0]!;
        for (const [field, value] of Object.entries(record)) {
          if (field !== 'id' && field !== 'associations') expect([resource, field, typeof value === 'string' || value === null || Array.isArray(value)]).toEqual([resource, field, true]);
        }
      }
      // 1.7 still showed stock on the combination, and no availability labels.
      expect(Object.keys(old.control.records('combinations')[0]!)).toEqual(expect.arrayContaining(['quantity', 'location']));
      expect(Object.keys(old.control.get('categories', 3)!)).not.toContain('additional_description');
    } finally {
      await old.close();
    }
  });

  test('filter[id_order]=[a|b|c] lists the lines of those orders; a filter on a text column works as for orders', async () => {
    const wanted = [3, 17, 250];
    const body = (await callJson(sb, `/api/order_details?display=[id,id_order]&filter[id_order]=[${wanted.join('|')}]&sort=[id_ASC]`)).json();
    const expected = sb.control.records('order_details').filter((d) => wanted.includes(d.id_order as number)).map((d) => ({ id: d.id, id_order: d.id_order }));
    expect(body.order_details).toEqual(expected);
    const histories = (await callJson(sb, '/api/order_histories?display=[id_order_state]&filter[id_order]=[42]&sort=[id_ASC]')).json().order_histories;
    expect(histories.at(-1).id_order_state).toBe(sb.control.get('orders', 42)!.current_state);
    const reference = sb.control.records('order_payments')[5]!.order_reference as string;
    const paid = (await callJson(sb, `/api/order_payments?display=[id,order_reference]&filter[order_reference]=[${reference}]`)).json().order_payments;
    expect(paid.map((p: Json) => p.order_reference)).toEqual(paid.map(() => reference));
    expect((await callJson(sb, '/api/order_details?filter[id_order]=[0]')).text).toBe('[]');
  });

  test('date=1 windows on histories, payments and slips, keyset-paged, find exactly the records dated inside', async () => {
    for (const [resource, key, field] of [['order_histories', 'order_histories', 'date_add'], ['order_payments', 'order_payments', 'date_add'], ['order_slip', 'order_slips', 'date_upd']] as const) {
      const dates = sb.control.records(resource).map((r) => String(r[field])).sort();
      const lo = dates[Math.floor(dates.length * 0.3)]!;
      const hi = dates[Math.floor(dates.length * 0.7)]!;
      const seen: number[] = [];
      let last = 0;
      for (;;) {
        const page = await callJson(sb, `/api/${resource}?date=1&display=[id,${field}]&filter[${field}]=[${lo},${hi}]&filter[id]=>[${last}]&sort=[id_ASC]&limit=7`);
        const rows = page.text === '[]' ? [] : page.json()[key];
        seen.push(...rows.map((r: Json) => r.id));
        if (rows.length < 7) break;
        last = rows.at(-1).id;
      }
      const inside = sb.control.records(resource).filter((r) => String(r[field]) >= lo && String(r[field]) <= hi).map((r) => r.id);
      expect([resource, seen]).toEqual([resource, inside]);
      // Newest first, then by id: the probe an incremental sync starts with.
      const newest = (await callJson(sb, `/api/${resource}?date=1&display=[id,${field}]&sort=[${field}_DESC,id_DESC]&limit=1`)).json()[key][0];
      expect(newest[field]).toBe(dates.at(-1));
    }
  });

  test('errors as for orders: a date filter without date=1 (500 in 8.1), an unknown field, a getter', async () => {
    const noDate = await callJson(sb, '/api/order_payments?filter[date_add]=[2020-01-01,2030-01-01]');
    expect([noDate.status, noDate.json().errors[0].code]).toEqual([500, 32]);
    const details = await callJson(sb, '/api/order_details?filter[date_upd]=[2020-01-01,2030-01-01]&date=1');
    expect([details.status, details.json().errors[0].code]).toEqual([500, 32]);
    expect((await callJson(sb, '/api/order_slip?display=[id,nope]')).json().errors[0].code).toBe(35);
    expect((await callJson(sb, '/api/categories?filter[nb_products_recursive]=[3]')).json().errors[0].code).toBe(34);
    const old = await start({ version: '1.7', orders: 20 });
    try {
      const reply = await callJson(old, '/api/order_histories?filter[date_add]=[2020-01-01,2030-01-01]');
      expect([reply.status, reply.json().errors[0].code]).toEqual([400, 32]);
    } finally {
      await old.close();
    }
  });

  test('XML: order_slip lists under order_slips with its virtual slip details; order_details keep their empty taxes', async () => {
    const ids = await call(sb, '/api/order_slip?limit=2&sort=[id_ASC]');
    const first = sb.control.records('order_slip')[0]!.id;
    expect(ids.text).toContain(`<order_slips>\n\t<order_slip id="${first}" xlink:href="${sb.baseUrl}/api/order_slip/${first}"/>`);
    const full = await call(sb, `/api/order_slip/${first}`);
    expect(full.text).toContain('<order_slip_details nodeType="order_slip_detail" virtualEntity="true">');
    expect(full.text).toContain(`<id_order xlink:href="${sb.baseUrl}/api/orders/`);
    expect((await call(sb, '/api/order_details/1')).text).toContain('<taxes nodeType="tax" api="taxes"/>');
  });

  test('faults apply: poisonIds break a page of any resource, faultResources narrows them; maxLimit caps', async () => {
    const detail = sb.control.records('order_details')[0]!.id;
    sb.control.setFaults({ poisonIds: [detail] });
    try {
      expect((await callJson(sb, `/api/order_details?display=full&filter[id]=[${detail}]`)).status).toBe(500);
      expect((await callJson(sb, `/api/order_details?display=[id]&filter[id]=[${detail}]`)).status).toBe(200);
      sb.control.setFaults({ faultResources: ['orders'] });
      expect((await callJson(sb, `/api/order_details?display=full&filter[id]=[${detail}]`)).status).toBe(200);
      expect((await callJson(sb, `/api/orders?display=full&filter[id]=[${detail}]`)).status).toBe(500);
      sb.control.setFaults({ maxLimit: 3 });
      expect((await callJson(sb, '/api/order_histories?display=[id]&limit=50')).json().order_histories).toHaveLength(3);
    } finally {
      sb.control.clearFaults();
    }
  });
});
