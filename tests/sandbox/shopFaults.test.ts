import type { Sandbox } from '../../sandbox';
import { callJson, start, type Json } from './support';

const ids = (body: Json, resource = 'orders'): number[] => (Array.isArray(body) ? [] : (body[resource] as Array<{ id: number }>).map((o) => o.id));
const ascending = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** Faults of real shops beyond the hosting's: hanging records, modules rewriting list queries, capped pages. */
describe('sandbox shop faults', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await start({ orders: 300, customers: 40, products: 10 });
  });
  afterEach(() => sb.close());

  /** Set over HTTP, as a child process or the demo would. */
  async function setFaults(faults: Json): Promise<void> {
    const res = await fetch(`${sb.baseUrl}/__sandbox/setFaults`, { method: 'POST', body: JSON.stringify([faults]) });
    expect(res.status).toBe(200);
  }

  async function hangs(pathAndQuery: string): Promise<boolean> {
    const headers = { Authorization: `Basic ${Buffer.from(`${sb.apiKey}:`).toString('base64')}` };
    try {
      await fetch(`${sb.baseUrl}${pathAndQuery}`, { headers, signal: AbortSignal.timeout(250) });
      return false;
    } catch {
      return true;
    }
  }

  test('hangIds: any answer rendering one of them in full never comes; ids and id/date lists still answer', async () => {
    await setFaults({ hangIds: [42] });
    expect(await hangs('/api/orders?display=full&filter[id]=[40,45]&output_format=JSON')).toBe(true);
    expect(await hangs('/api/orders/42?output_format=JSON')).toBe(true);
    expect(await hangs('/api/orders/42?display=full&output_format=JSON')).toBe(true);
    expect(sb.control.requests().map((r) => r.status)).toEqual([0, 0, 0]);
    expect(ids((await callJson(sb, '/api/orders?display=full&filter[id]=[43,45]&sort=[id_ASC]')).json())).toEqual([43, 44, 45]);
    expect(ascending(ids((await callJson(sb, '/api/orders?display=[id]&filter[id]=[40,45]')).json()))).toEqual([40, 41, 42, 43, 44, 45]);
    expect(ids((await callJson(sb, '/api/orders?display=[id,date_upd]&filter[id]=[42]')).json())).toEqual([42]);
    expect(ids((await callJson(sb, '/api/orders?filter[id]=[42]')).json())).toEqual([42]);
    expect((await callJson(sb, '/api/orders/42?display=[id,reference]')).status).toBe(200);
  });

  test('ignoreSort: sort is accepted but lists come back in the seeded scramble, then limited', async () => {
    const unsorted = ids((await callJson(sb, '/api/orders?limit=20')).json());
    await setFaults({ ignoreSort: true });
    const asked = ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=20')).json());
    expect(asked).toEqual(unsorted);
    expect(asked).not.toEqual(ascending(asked));
    expect(ids((await callJson(sb, '/api/orders?sort=[id_DESC]&limit=20')).json())).toEqual(unsorted);
    // A keyset page then holds ids from anywhere above the cursor, not the next ones.
    const page = ids((await callJson(sb, '/api/orders?filter[id]=>[100]&sort=[id_ASC]&limit=10')).json());
    expect(page.every((id) => id > 100)).toBe(true);
    expect(page).not.toEqual(Array.from({ length: 10 }, (_, i) => 101 + i));
    // Parameters are still checked.
    expect((await callJson(sb, '/api/orders?sort=[colour_ASC]')).status).toBe(500);
  });

  test('maxLimit: at most N rows per list answer, whatever limit asks', async () => {
    const all = ids((await callJson(sb, '/api/orders?sort=[id_ASC]')).json());
    await setFaults({ maxLimit: 7 });
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=100')).json())).toEqual(all.slice(0, 7));
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]')).json())).toEqual(all.slice(0, 7));
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=3')).json())).toEqual(all.slice(0, 3));
    expect(ids((await callJson(sb, '/api/orders?sort=[id_ASC]&limit=10,50')).json())).toEqual(all.slice(10, 17));
    expect(ids((await callJson(sb, '/api/customers?display=full&limit=50')).json(), 'customers')).toHaveLength(7);
  });

  test('emptyListAfterId: lists past the id answer [] every time; below it, or other resources, answer', async () => {
    await setFaults({ emptyListAfterId: { id: 150, resource: 'orders' } });
    expect(ids((await callJson(sb, '/api/orders?filter[id]=>[149]&sort=[id_ASC]&limit=3')).json())).toEqual([150, 151, 152]);
    for (let i = 0; i < 3; i += 1) {
      const past = await callJson(sb, '/api/orders?display=full&filter[id]=>[150]&sort=[id_ASC]&limit=3');
      expect([past.status, past.text]).toEqual([200, '[]']);
    }
    expect((await callJson(sb, '/api/orders?filter[id]=>[220]')).text).toBe('[]');
    expect((await callJson(sb, '/api/orders?filter[id]=[150,300]')).text).toBe('[]');
    expect(ids((await callJson(sb, '/api/orders?filter[id]=[149,151]&sort=[id_ASC]')).json())).toEqual([149, 150, 151]);
    expect(ids((await callJson(sb, '/api/customers?filter[id]=>[150]')).json(), 'customers')).toEqual([]);
    expect(ids((await callJson(sb, '/api/customers?filter[id]=>[30]&sort=[id_ASC]&limit=2')).json(), 'customers')).toHaveLength(2);
    // Without a resource it applies to every list.
    await setFaults({ emptyListAfterId: { id: 10 } });
    expect((await callJson(sb, '/api/customers?filter[id]=>[30]')).text).toBe('[]');
  });

  test('fault settings are checked: a bad value is a clear error, over HTTP a 400', async () => {
    expect(() => sb.control.setFaults({ maxLimit: 0 })).toThrow(/maxLimit must be a whole number of at least 1/);
    expect(() => sb.control.setFaults({ phpWorkers: 1.5 })).toThrow(/phpWorkers/);
    expect(() => sb.control.setFaults({ latencyPerRecordMs: -1 })).toThrow(/latencyPerRecordMs/);
    const res = await fetch(`${sb.baseUrl}/__sandbox/setFaults`, { method: 'POST', body: JSON.stringify([{ hangIds: ['x'] }]) });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, 'Sandbox fault hangIds must be a list of ids']);
  });
});
