/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- response bodies are parsed JSON */
import type { Sandbox } from '../../sandbox';
import { callJson, start, type Json } from './support';

/** A million orders: generated on demand from (seed, id), so starting is quick and memory stays small. */
describe('sandbox at 1,000,000 orders', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ orders: 1_000_000, customers: 5_000, products: 200 });
  }, 120_000);
  afterAll(() => sb.close());

  test('counts every order', () => {
    expect(sb.control.count('orders')).toBe(1_000_000);
  });

  test('a keyset page inside a date window is complete, ordered and equal to the records', async () => {
    const lo = '2022-03-01 00:00:00';
    const hi = '2022-03-31 23:59:59';
    const last = 200_000;
    const page = (
      await callJson(sb, `/api/orders?date=1&display=full&filter[date_upd]=[${lo},${hi}]&filter[id]=>[${last}]&sort=[id_ASC]&limit=100`)
    ).json().orders as Json[];
    expect(page).toHaveLength(100);
    const ids = page.map((o) => o.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBeGreaterThan(last);
    for (const order of page) {
      expect(order.date_upd >= lo && order.date_upd <= hi).toBe(true);
      expect(order).toEqual(sb.control.get('orders', order.id));
    }
    // Nothing in the window was skipped between the cursor and the end of the page.
    const span = (await callJson(sb, `/api/orders?date=1&display=[id,date_upd]&filter[id]=[${last + 1},${ids.at(-1)}]&sort=[id_ASC]`)).json()
      .orders as Json[];
    expect(span.filter((o) => o.date_upd >= lo && o.date_upd <= hi).map((o) => o.id)).toEqual(ids);
  });

  test('the newest-date_upd probe finds the maximum, and follows an update', async () => {
    const probe = async (): Promise<{ id: number; date_upd: string }> =>
      (await callJson(sb, '/api/orders?display=[id,date_upd]&date=1&sort=[date_upd_DESC,id_DESC]&limit=1')).json().orders[0];
    const newest = await probe();
    expect(newest.date_upd <= sb.control.shopLocalNow()).toBe(true);
    expect((await callJson(sb, `/api/orders?date=1&filter[date_upd]=>[${newest.date_upd}]`)).text).toBe('[]');
    expect((await callJson(sb, `/api/orders?date=1&filter[date_upd]=[${newest.date_upd},${newest.date_upd}]&filter[id]=>[${newest.id}]`)).text).toBe('[]');
    expect(sb.control.get('orders', newest.id)!.date_upd).toBe(newest.date_upd);

    sb.control.advance(600);
    sb.control.update('orders', 12_345, { note: 'late change' });
    expect(await probe()).toEqual({ id: 12_345, date_upd: sb.control.shopLocalNow() });
  });

  test('order documents at this size: the lines of some orders by id_order, a day of histories by date', async () => {
    const ids = [1, 500_000, 999_999];
    const lines = (await callJson(sb, `/api/order_details?display=[id,id_order,product_id]&filter[id_order]=[${ids.join('|')}]&sort=[id_ASC]`)).json().order_details as Json[];
    const rows = ids.flatMap((id) => (sb.control.get('orders', id)!.associations as Json).order_rows.map((r: Json) => ({ id: r.id, id_order: id, product_id: r.product_id })));
    expect(lines).toEqual(rows.sort((a: Json, b: Json) => Number(a.id) - Number(b.id)));
    const day = ['2023-03-01 00:00:00', '2023-03-01 23:59:59'];
    const histories = (await callJson(sb, `/api/order_histories?date=1&display=[id,id_order,date_add]&filter[date_add]=[${day.join(',')}]&sort=[id_ASC]`)).json().order_histories as Json[];
    expect(histories.length).toBeGreaterThan(100);
    expect(histories.every((h) => h.date_add >= day[0]! && h.date_add <= day[1]!)).toBe(true);
    for (const h of histories.filter((_, i) => i % 50 === 0)) expect(String(sb.control.get('orders', h.id_order)!.date_add) <= h.date_add).toBe(true);
  });
});
