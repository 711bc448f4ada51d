/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sandbox } from '../../sandbox';
import { runSandboxServer } from '../../sandbox/cli';
import { call, callJson, start, T0, type Json } from './support';

const idsOf = (body: Json, resource = 'orders'): number[] => (Array.isArray(body) ? [] : body[resource].map((r: Json) => r.id));

async function keyset(sb: Sandbox, resource: string, lo: string, hi: string, limit: number): Promise<number[]> {
  const seen: number[] = [];
  let last = 0;
  for (;;) {
    const q = `/api/${resource}?date=1&display=[id,date_upd]&filter[date_upd]=[${lo},${hi}]&filter[id]=>[${last}]&sort=[id_ASC]&limit=${limit}`;
    const page = idsOf((await callJson(sb, q)).json(), resource);
    seen.push(...page);
    if (page.length < limit) return seen;
    last = page[page.length - 1]!;
  }
}

describe('sandbox control', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await start({ orders: 400, customers: 80, products: 20 });
  });
  afterEach(() => sb.close());

  test('clock: set, advance, shop-local time', () => {
    expect(sb.control.now()).toBe(T0);
    expect(sb.control.shopLocalNow()).toBe('2024-06-03 12:00:00');
    sb.control.advance(61);
    expect(sb.control.now()).toBe(T0 + 61);
    expect(sb.control.shopLocalNow()).toBe('2024-06-03 12:01:01');
    sb.control.setClock(T0 - 86_400);
    expect(sb.control.shopLocalNow()).toBe('2024-06-02 12:00:00');
  });

  test('add and update stamp the clock in shop time, or the given date_upd', async () => {
    sb.control.advance(300);
    const id = sb.control.add('customers', { firstname: 'Ada', lastname: 'Lovelace' });
    expect(id).toBe(81);
    const added = (await callJson(sb, `/api/customers/${id}`)).json().customer;
    expect(added).toMatchObject({ id, firstname: 'Ada', lastname: 'Lovelace', date_add: '2024-06-03 12:05:00', date_upd: '2024-06-03 12:05:00' });
    sb.control.update('customers', id, { note: 'vip' }, { dateUpd: '2024-06-03 12:10:00' });
    expect(sb.control.get('customers', id)).toMatchObject({ note: 'vip', date_add: '2024-06-03 12:05:00', date_upd: '2024-06-03 12:10:00' });
    const order = sb.control.add('orders', { id_customer: String(id), current_state: '10' });
    expect(sb.control.get('orders', order)).toMatchObject({ id_customer: id, current_state: 10, valid: '0' });
    sb.control.update('orders', order, { current_state: '2' });
    expect(sb.control.get('orders', order)).toMatchObject({ current_state: 2, valid: '1' });
    expect(sb.control.get('orders', order)!.total_paid_real).toBe(sb.control.get('orders', order)!.total_paid);
    expect(() => sb.control.update('orders', 99_999, { note: 'x' })).toThrow(/does not exist/);
    expect(() => sb.control.update('orders', 1, { note: 'x' }, { dateUpd: '2024-06-03T12:00:00' })).toThrow(/YYYY-MM-DD/);
  });

  test('rows placed exactly on the window bounds are inside; 250 rows with one date_upd page by keyset', async () => {
    const lo = '2024-06-03 11:00:00';
    const hi = '2024-06-03 11:30:00';
    sb.control.update('orders', 10, { note: 'lo' }, { dateUpd: lo });
    sb.control.update('orders', 20, { note: 'hi' }, { dateUpd: hi });
    sb.control.update('orders', 30, { note: 'after' }, { dateUpd: '2024-06-03 11:30:01' });
    const window = await keyset(sb, 'orders', lo, hi, 7);
    expect(window).toEqual(expect.arrayContaining([10, 20]));
    expect(window).not.toContain(30);

    const tie = '2024-06-03 11:45:00';
    for (let id = 100; id < 350; id += 1) sb.control.update('orders', id, { gift_message: 'batch' }, { dateUpd: tie });
    const tied = await keyset(sb, 'orders', tie, tie, 100);
    expect(tied).toEqual(Array.from({ length: 250 }, (_, i) => 100 + i));
  });

  test('soft delete bumps date_upd; hard delete hides the id; restore brings it back', async () => {
    sb.control.advance(120);
    const target = sb.control.records('customers').find((c) => c.deleted === '0')!.id;
    sb.control.softDeleteCustomer(target);
    expect(sb.control.get('customers', target)).toMatchObject({ deleted: '1', date_upd: sb.control.shopLocalNow() });

    const before = sb.control.count('orders');
    sb.control.hardDelete('orders', 7);
    expect(sb.control.count('orders')).toBe(before - 1);
    expect((await callJson(sb, '/api/orders/7')).status).toBe(404);
    expect(idsOf((await callJson(sb, '/api/orders?filter[id]=[5,9]&sort=[id_ASC]')).json())).toEqual([5, 6, 8, 9]);
    sb.control.restore('orders', 7);
    expect((await callJson(sb, '/api/orders/7')).status).toBe(200);
    expect(() => sb.control.hardDelete('orders', 99_999)).toThrow();
  });

  test('records() is exactly what display=full renders, record by record', async () => {
    const body = (await callJson(sb, '/api/orders?display=full&sort=[id_ASC]')).json();
    expect(body.orders).toEqual(sb.control.records('orders'));
    expect(sb.control.get('orders', 3)).toEqual((await callJson(sb, '/api/orders/3?display=full')).json().orders[0]);
    // Id/date-only displays are served from the typed arrays: they must agree with the records, changed ones too.
    sb.control.update('orders', 4, { note: 'x' }, { dateUpd: '2024-06-03 11:11:11' });
    const light = (await callJson(sb, '/api/orders?display=[date_upd,id,date_add]&sort=[id_ASC]')).json().orders;
    expect(light).toEqual(sb.control.records('orders').map((o) => ({ id: o.id, date_add: o.date_add, date_upd: o.date_upd })));
    expect(light[3]).toMatchObject({ id: 4, date_upd: '2024-06-03 11:11:11' });
  });

  test('requests() logs what was asked, with the status; resetRequests() clears it', async () => {
    sb.control.resetRequests();
    await callJson(sb, '/api/orders?limit=1&filter[id]=>[5]');
    await callJson(sb, '/api/orders/999999');
    expect(sb.control.requests()).toEqual([
      { method: 'GET', path: '/api/orders', query: { limit: '1', 'filter[id]': '>[5]', output_format: 'JSON' }, status: 200 },
      { method: 'GET', path: '/api/orders/999999', query: { output_format: 'JSON' }, status: 404 },
    ]);
    sb.control.resetRequests();
    expect(sb.control.requests()).toEqual([]);
  });

  describe('faults', () => {
    test('5xx and 429 (with Retry-After) at rate 1; the sequence repeats for the same seed', async () => {
      sb.control.setFaults({ rate5xx: 1 });
      const statuses = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await callJson(sb, '/api/orders?limit=1')).status);
      for (const s of statuses) expect(s).toBeGreaterThanOrEqual(500);
      sb.control.setFaults({ rate5xx: 0, rate429: 1, retryAfterSeconds: 7 });
      const limited = await callJson(sb, '/api/orders?limit=1');
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
      sb.control.clearFaults();
      expect((await callJson(sb, '/api/orders?limit=1')).status).toBe(200);

      const twin = await start({ orders: 400, customers: 80, products: 20 });
      try {
        const sequence = async (s: Sandbox): Promise<number[]> => {
          s.control.setFaults({ rate5xx: 0.3, rate429: 0.3 });
          const out: number[] = [];
          for (let i = 0; i < 12; i += 1) out.push((await callJson(s, '/api/orders?limit=1')).status);
          return out;
        };
        const [a, b] = [await sequence(sb), await sequence(twin)];
        expect(a).toEqual(b);
        expect(new Set(a).size).toBeGreaterThan(1);
      } finally {
        await twin.close();
      }
    });

    test('timeouts: the request hangs until the client gives up', async () => {
      sb.control.setFaults({ timeoutRate: 1 });
      await expect(fetch(`${sb.baseUrl}/api/orders?limit=1`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      expect(sb.control.requests().at(-1)?.status).toBe(0);
    });

    test('latency delays but does not change the answer', async () => {
      sb.control.setFaults({ latencyMs: 20 });
      expect((await callJson(sb, '/api/orders?limit=2')).status).toBe(200);
    });

    test('poison ids: full records answer 500, ids-only and field lists do not', async () => {
      sb.control.setFaults({ poisonIds: [42] });
      expect((await callJson(sb, '/api/orders?display=full&filter[id]=[40,45]')).status).toBe(500);
      expect((await callJson(sb, '/api/orders/42')).status).toBe(500);
      expect((await callJson(sb, '/api/orders?display=full&filter[id]=[43,45]')).status).toBe(200);
      expect((await callJson(sb, '/api/orders?filter[id]=[40,45]')).status).toBe(200);
      expect((await callJson(sb, '/api/orders?display=[id,date_upd]&filter[id]=[40,45]')).status).toBe(200);
      const xml = await call(sb, '/api/orders/42');
      expect([xml.status, xml.text.includes('<code><![CDATA[5]]></code>')]).toEqual([500, true]);
    });

    test('malformed JSON for the next N responses, then valid again', async () => {
      sb.control.setFaults({ malformedJsonNext: 2 });
      for (let i = 0; i < 2; i += 1) {
        const reply = await callJson(sb, '/api/orders?display=full&limit=3');
        expect(reply.status).toBe(200);
        expect(() => JSON.parse(reply.text) as unknown).toThrow();
      }
      const after = await callJson(sb, '/api/orders?limit=3');
      expect(() => after.json() as unknown).not.toThrow();
    });

    test('a swallowed SQL error answers 200 with an empty list, once per count', async () => {
      sb.control.setFaults({ swallowedSqlErrorNext: 1 });
      const swallowed = await callJson(sb, '/api/orders?limit=5');
      expect([swallowed.status, swallowed.text]).toEqual([200, '[]']);
      expect(idsOf((await callJson(sb, '/api/orders?limit=5')).json())).toHaveLength(5);
    });
  });

  test('the control over HTTP: /__sandbox/<method>, JSON arguments, not logged as API requests', async () => {
    sb.control.resetRequests();
    const post = async (name: string, args: unknown[]): Promise<{ status: number; body: Json }> => {
      const res = await fetch(`${sb.baseUrl}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(args) });
      return { status: res.status, body: await res.json() };
    };
    expect(await post('now', [])).toEqual({ status: 200, body: { result: T0 } });
    const added = await post('add', ['customers', { lastname: 'Remote' }, { dateUpd: '2024-06-03 11:59:00' }]);
    expect(added.status).toBe(200);
    expect(sb.control.get('customers', added.body.result)).toMatchObject({ lastname: 'Remote', date_upd: '2024-06-03 11:59:00' });
    await post('advance', [60]);
    expect(sb.control.now()).toBe(T0 + 60);
    await post('setFaults', [{ webserviceDisabled: true }]);
    expect((await callJson(sb, '/api/orders')).status).toBe(503);
    await post('clearFaults', []);
    const count = await fetch(`${sb.baseUrl}/__sandbox/count?args=${encodeURIComponent('["orders"]')}`);
    expect(await count.json()).toEqual({ result: 400 });
    expect((await post('get', ['nope', 1])).status).toBe(400);
    expect((await post('explode', [])).status).toBe(404);
    expect(sb.control.requests().map((r) => r.path)).toEqual(['/api/orders']);
  });

  test('simulateActivity is deterministic and stamped at the clock', async () => {
    const twin = await start({ orders: 400, customers: 80, products: 20 });
    try {
      const counts = { newCustomers: 3, newOrders: 5, updatedOrders: 4, statusChanges: 6, softDeletes: 2 };
      for (const s of [sb, twin]) s.control.advance(3600);
      const a = sb.control.simulateActivity(counts, 5);
      const b = twin.control.simulateActivity(counts, 5);
      expect(a).toEqual(b);
      expect(a.newOrders).toHaveLength(5);
      expect(a.statusChanges).toHaveLength(6);
      expect(sb.control.records('orders')).toEqual(twin.control.records('orders'));
      const now = sb.control.shopLocalNow();
      for (const id of [...a.newOrders, ...a.updatedOrders, ...a.statusChanges]) expect(sb.control.get('orders', id)!.date_upd).toBe(now);
      for (const id of a.softDeletes) expect(sb.control.get('customers', id)).toMatchObject({ deleted: '1', date_upd: now });
      expect(sb.control.simulateActivity({ newOrders: 1 }, 6).newOrders).toEqual([406]);
    } finally {
      await twin.close();
    }
  });

  test('saveState/loadState keep one shop across runs, even when the next run starts later', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phc-sandbox-'));
    const file = path.join(dir, 'state.json');
    try {
      sb.control.simulateActivity({ newCustomers: 2, newOrders: 3, statusChanges: 3, softDeletes: 1 }, 1);
      sb.control.hardDelete('customers', 2);
      sb.control.hardDelete('orders', 400);
      sb.control.saveState(file);
      const later = await start({ orders: 400, customers: 80, products: 20, clock: { epochSeconds: T0 + 86_400, frozen: true } });
      try {
        expect(later.control.records('orders')).not.toEqual(sb.control.records('orders'));
        later.control.loadState(file);
        for (const resource of ['orders', 'customers', 'products', 'configurations'] as const) {
          expect(later.control.records(resource)).toEqual(sb.control.records(resource));
        }
        expect((await callJson(later, '/api/orders/400')).status).toBe(404);
      } finally {
        await later.close();
      }
      const other = await start({ seed: 4, orders: 400, customers: 80, products: 20 });
      try {
        expect(() => other.control.loadState(file)).toThrow(/seed/);
      } finally {
        await other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('across a DST fall-back the same shop-local time repeats (docs/prestashop-webservice.md §7)', async () => {
    // Paris leaves summer time at 2024-10-27 01:00 UTC: 02:30 local happens at 00:30 and at 01:30 UTC.
    sb.control.setClock(Date.UTC(2024, 9, 27, 0, 30, 0) / 1000);
    const first = sb.control.add('orders', {});
    sb.control.advance(3600);
    const second = sb.control.add('orders', {});
    expect(sb.control.get('orders', first)!.date_upd).toBe('2024-10-27 02:30:00');
    expect(sb.control.get('orders', second)!.date_upd).toBe('2024-10-27 02:30:00');
    const both = idsOf((await callJson(sb, '/api/orders?date=1&filter[date_upd]=[2024-10-27 02:30:00,2024-10-27 02:30:00]&sort=[id_ASC]')).json());
    expect(both).toEqual([first, second]);
  });

  test('runSandboxServer prints one line with the URL, the key and a curl example', async () => {
    const lines: string[] = [];
    const served = await runSandboxServer({ orders: 5, clock: { epochSeconds: T0, frozen: true } }, (line) => lines.push(line));
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(served.baseUrl);
      expect(lines[0]).toContain(`curl -u ${served.apiKey}: '${served.baseUrl}/api/orders?display=full&output_format=JSON&limit=2'`);
    } finally {
      await served.close();
    }
  });
});
