/* eslint-disable @typescript-eslint/no-unsafe-argument -- response bodies and records are parsed JSON, walked as such */
import type { Sandbox } from '../../sandbox';
import { call, callJson, fieldKeys, fixture, fixtureText, shape, start, type Json } from './support';

/**
 * The 1.7 imitation answers the 1.7-era fixtures' requests with the same shapes and statuses (docs/prestashop-webservice.md §5,
 * §6); the 8.1 default is held to recordings of a real 8.1.2 in realShopContract.test.ts and fixtures81.test.ts.
 */
describe('sandbox (1.7) against the fixtures', () => {
  let sb: Sandbox;
  let sb2: Sandbox;
  beforeAll(async () => {
    sb = await start({ version: '1.7' });
    sb2 = await start({ version: '1.7', languages: 2 });
  });
  afterAll(async () => {
    await sb.close();
    await sb2.close();
  });

  /** The first record of a list fixture and of the same sandbox list have the same keys, in order, and value types. */
  function sameRecordShape(ours: Json, theirs: Json): void {
    expect(fieldKeys(ours)).toEqual(fieldKeys(theirs));
    for (const key of fieldKeys(theirs)) {
      const expected = theirs[key] === null ? 'null' : typeof theirs[key];
      const actual = ours[key] === null ? 'null' : typeof ours[key];
      // Nullable text fields may hold text in other rows; the fixtures' nulls must stay null here.
      expect([key, actual]).toEqual([key, expected === 'object' ? 'object' : expected]);
    }
  }

  /** Every association we send exists in the fixture with the same item keys; empty ones are left out. */
  function sameAssociations(ours: Json, theirs: Json): void {
    const mine = (ours.associations ?? {}) as Record<string, Json[]>;
    for (const [name, items] of Object.entries(mine)) {
      expect(items.length).toBeGreaterThan(0);
      const reference = (theirs.associations as Record<string, Json[]>)[name];
      expect(reference).toBeDefined();
      for (const item of items) expect(shape(item)).toEqual(shape(reference![0]));
    }
    if (ours.associations !== undefined) expect(Object.keys(ours.associations).length).toBeGreaterThan(0);
  }

  test.each([
    ['customers', 'customers-list-full.json'],
    ['orders', 'orders-list-full.json'],
    ['products', 'products-list-full.json'],
    ['order_states', 'order-states-list-full.json'],
    ['currencies', 'currencies-list-full.json'],
    ['configurations', 'configurations-list-full.json'],
  ])('GET /api/%s?display=full gives the fixture shape (%s)', async (resource, file) => {
    const theirs = fixture(file) as Json;
    const reply = await callJson(sb, `/api/${resource}?display=full&filter[id]=[${theirs[resource][0].id}]`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    const body = reply.json();
    expect(Object.keys(body)).toEqual(Object.keys(theirs));
    const first = body[resource][0];
    expect(typeof first.id).toBe('number');
    sameRecordShape(first, theirs[resource][0]);
    if (theirs[resource][0].associations) sameAssociations(first, theirs[resource][0]);
  });

  test('orders: order_rows carry the documented fields in order, ids as strings', async () => {
    const theirs = fixture('orders-list-full.json') as Json;
    const body = (await callJson(sb, '/api/orders?display=full&limit=20&sort=[id_ASC]')).json();
    for (const order of body.orders) {
      expect(order.associations.order_rows.length).toBeGreaterThanOrEqual(1);
      for (const row of order.associations.order_rows) expect(shape(row)).toEqual(shape(theirs.orders[0].associations.order_rows[0]));
    }
  });

  test('customers list without display: ids only, as ints, not sorted by id', async () => {
    const theirs = fixture('customers-list-minimal.json') as Json;
    const body = (await callJson(sb, '/api/customers')).json();
    expect(shape(body)).toEqual(shape(theirs));
    const ids = (body.customers as Array<{ id: number }>).map((c) => c.id);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(sb.control.count('customers'));
  });

  test('single order: {"order":{...}} (1.7), {"orders":[...]} with display=full', async () => {
    const single = (await callJson(sb, '/api/orders/5')).json();
    expect(Object.keys(single)).toEqual(['order']);
    const theirs = fixture('orders-single.json') as Json;
    sameRecordShape(single.order, theirs.order);
    const full = (await callJson(sb, '/api/orders/5?display=full')).json();
    expect(Object.keys(full)).toEqual(['orders']);
    sameRecordShape(full.orders[0], (fixture('orders-single-display-full.json') as Json).orders[0]);
    expect(full.orders[0]).toEqual(single.order);
  });

  test('single order on 8.1 drops "0", 0, "" and null fields, like orders-single-8x.json', async () => {
    const sb8 = await start({ version: '8.1' });
    try {
      const reply = await callJson(sb8, '/api/orders/5');
      expect(reply.headers.get('psws-version')).toBe('8.1.2');
      const filtered = reply.json().order;
      const full = (await callJson(sb8, '/api/orders/5?display=full')).json().orders[0];
      const expected = Object.fromEntries(Object.entries(full).filter(([, v]) => v !== '0' && v !== 0 && v !== '' && v !== null));
      expect(filtered).toEqual(expected);
      expect(Object.keys(filtered)).toEqual(Object.keys(expected));
      // Like the fixture: the fields that stay keep the 1.7 order; money "0.000000" and zero dates survive.
      const theirs = (fixture('orders-single-8x.json') as Json).order;
      expect(theirs.total_discounts).toBe('0.000000');
      expect(filtered.total_wrapping).toBe('0.000000');
      expect(filtered.id).toBe(5);
    } finally {
      await sb8.close();
    }
  });

  test('products in a two-language shop: translatable fields are [{id,value}] lists like products-single.json', async () => {
    const theirs = (fixture('products-single.json') as Json).product;
    const ours = (await callJson(sb2, '/api/products/1')).json().product;
    expect(fieldKeys(ours)).toEqual(fieldKeys(theirs));
    for (const key of fieldKeys(theirs)) {
      if (Array.isArray(theirs[key])) {
        expect(ours[key]).toEqual([{ id: '1', value: expect.any(String) }, { id: '2', value: expect.any(String) }]);
      } else {
        expect([key, ours[key] === null ? 'null' : typeof ours[key]]).toEqual([key, theirs[key] === null ? 'null' : typeof theirs[key]]);
      }
    }
    // language=1 gives plain strings again.
    const one = (await callJson(sb2, '/api/products/1?language=1')).json().product;
    expect(typeof one.name).toBe('string');
  });

  test('configurations PS_TIMEZONE: byte for byte the fixture', async () => {
    const reply = await call(sb, '/api/configurations?display=[id,name,value]&filter[name]=[PS_TIMEZONE]&output_format=JSON');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(fixtureText('configurations-ps-timezone.json'));
  });

  test('empty lists: [] by default, {"orders":[]} when keyed, <orders>\\n</orders> in XML', async () => {
    const q = '/api/orders?filter[id]=[999999]';
    expect((await callJson(sb, q)).text).toBe(fixtureText('empty-list.json'));
    expect((await call(sb, q)).text).toBe(fixtureText('empty-list.xml'));
    const keyed = await start({ version: '1.7', emptyListShape: 'keyed' });
    try {
      expect((await callJson(keyed, q)).text).toBe(fixtureText('empty-list-8x.json'));
    } finally {
      await keyed.close();
    }
  });

  test('XML list: the layout of customers-list-full.xml', async () => {
    const reply = await call(sb, '/api/customers?display=full&filter[id]=[1]');
    expect(reply.headers.get('content-type')).toMatch(/^text\/xml/);
    const tags = (xml: string): string[] => [...xml.matchAll(/^\t?<([a-z_]+)[ >]/gm)].map((m) => m[1]!);
    const theirs = fixtureText('customers-list-full.xml').replaceAll('https://shop.example/api/', `${sb.baseUrl}/api/`);
    expect(tags(reply.text)).toEqual(tags(theirs));
    expect(reply.text).toContain(`<id_default_group xlink:href="${sb.baseUrl}/api/groups/`);
    expect(reply.text).toContain('<reset_password_validity><![CDATA[]]></reset_password_validity>');
    expect(reply.text.split('\n').slice(0, 4)).toEqual(theirs.split('\n').slice(0, 4));
  });

  test('XML single record and ids-only list', async () => {
    const single = await call(sb, '/api/orders/5');
    expect(single.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<prestashop xmlns:xlink="http:\/\/www.w3.org\/1999\/xlink">\n<order>\n\t<id><!\[CDATA\[5\]\]><\/id>/);
    expect(single.text).toContain('<order_rows nodeType="order_row" virtualEntity="true">');
    const list = await call(sb, '/api/orders?limit=2&sort=[id_ASC]');
    expect(list.text).toContain(`<order id="1" xlink:href="${sb.baseUrl}/api/orders/1"/>`);
  });

  test('XML products: translatable fields as <language> nodes, empty associations self-closing (JSON leaves them out)', async () => {
    const xml = (await call(sb2, '/api/products/1')).text;
    expect(xml).toContain(`\t<name>\n\t\t<language id="1" xlink:href="${sb2.baseUrl}/api/languages/1"><![CDATA[`);
    expect(xml).toContain(`\t\t<language id="2" xlink:href="${sb2.baseUrl}/api/languages/2"><![CDATA[`);
    expect(xml).toContain('<combinations nodeType="combination" api="combinations"/>');
    const json = (await callJson(sb2, '/api/products/1')).json().product;
    expect(json.associations.combinations).toBeUndefined();
    // A one-language shop still wraps translatable fields in <language> in XML.
    expect((await call(sb, '/api/products/1')).text).toContain('\t<name>\n\t\t<language id="1"');
  });

  describe('error bodies equal the fixtures', () => {
    test('no key: plain-text 401 with WWW-Authenticate', async () => {
      const reply = await call(sb, '/api/orders?output_format=JSON', { key: null });
      expect(reply.status).toBe(401);
      expect(reply.text).toBe(fixtureText('error-401-no-key.txt').trimEnd());
      expect(reply.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(reply.headers.get('psws-version')).toBeNull();
    });

    test('key of the wrong length: code 18', async () => {
      const reply = await callJson(sb, '/api/orders', { key: 'short' });
      expect(reply.status).toBe(401);
      expect(reply.text).toBe(fixtureText('error-401-bad-format.json'));
    });

    test('unknown 32-character key: codes 20 and 21, JSON and XML', async () => {
      const key = 'X'.repeat(32);
      const json = await callJson(sb, '/api/orders', { key });
      expect(json.status).toBe(401);
      expect(json.text).toBe(fixtureText('error-401.json'));
      expect(json.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(json.headers.get('psws-version')).toBeNull();
      const xml = await call(sb, '/api/orders', { key });
      expect(xml.text).toBe(fixtureText('error-401.xml'));
    });

    test('webservice disabled: 503 code 22', async () => {
      sb.control.setFaults({ webserviceDisabled: true });
      try {
        const reply = await callJson(sb, '/api/orders');
        expect(reply.status).toBe(503);
        expect(reply.text).toBe(fixtureText('error-503-disabled.json'));
      } finally {
        sb.control.clearFaults();
      }
    });

    test('unknown resource: 400 code 27 with the did-you-mean text', async () => {
      const reply = await callJson(sb, '/api/custmers');
      expect(reply.status).toBe(400);
      expect(reply.text).toBe(fixtureText('error-400-unknown-resource.json'));
      expect(reply.headers.get('psws-version')).toBe('1.7.8.11');
    });

    test('date filter or sort without date=1: codes 32 and 38', async () => {
      const filter = await callJson(sb, '/api/orders?filter[date_upd]=[2024-01-01 00:00:00,2024-01-02 00:00:00]');
      expect(filter.status).toBe(400);
      expect(filter.text).toBe(fixtureText('error-400-bad-filter.json'));
      const sort = await callJson(sb, '/api/orders?sort=[date_upd_ASC]');
      expect(sort.status).toBe(400);
      expect(sort.text).toBe(fixtureText('error-400-bad-sort.json'));
    });

    test('poisoned record: 500 with the PHP notice body', async () => {
      sb.control.setFaults({ poisonIds: [5] });
      try {
        const reply = await callJson(sb, '/api/orders?display=full&filter[id]=[1,10]');
        expect(reply.status).toBe(500);
        expect(reply.text).toBe(fixtureText('error-500-php-notice.json'));
      } finally {
        sb.control.clearFaults();
      }
    });

    test('unknown id: 404 with an empty body and no content type', async () => {
      const reply = await callJson(sb, '/api/orders/999999');
      expect(reply.status).toBe(404);
      expect(reply.text).toBe('');
      expect(reply.headers.get('content-type')).toBeNull();
    });
  });
});
