import { DEMO_ACTIVITY } from '../../cli/embedded/shop';
import { startSandbox, type Sandbox } from '../../sandbox';

const DAY = 86_400;
const NOW = Date.UTC(2026, 5, 15, 12, 0, 0) / 1000;

describe('demo activity between two runs', () => {
  let shop: Sandbox;

  beforeEach(async () => {
    shop = await startSandbox({ customers: 60, products: 10, orders: 300, clock: { epochSeconds: NOW, frozen: true } });
  });
  afterEach(async () => {
    await shop.close();
  });

  const counts = DEMO_ACTIVITY;

  it('is spread over the time since the last run, not all on one date, and never after the clock', () => {
    const since = NOW - 5 * DAY;
    const summary = shop.control.simulateActivity({ ...counts, spreadSince: since }, 7);
    const now = shop.control.shopLocalNow();
    const sinceLocal = '2026-06-10 14:00:00'; // NOW - 5 days on the shop's wall clock (Paris, summer time)
    const orders = summary.newOrders.map((id) => shop.control.get('orders', id)!);
    const days = new Set(orders.map((o) => String(o.date_add).slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(4);
    for (const o of orders) {
      expect(String(o.date_add) > sinceLocal && String(o.date_add) <= now).toBe(true);
      // An order of a customer registered in the same stretch comes after that registration.
      const customer = shop.control.get('customers', Number(o.id_customer));
      if (customer && summary.newCustomers.includes(Number(o.id_customer))) expect(String(customer.date_add) <= String(o.date_add)).toBe(true);
    }
    // New ids are placed in time order, as a shop numbers its records.
    const stamps = orders.map((o) => String(o.date_add));
    expect([...stamps].sort()).toEqual(stamps);
    for (const id of [...summary.updatedOrders, ...summary.statusChanges]) expect(String(shop.control.get('orders', id)!.date_upd) <= now).toBe(true);
  });

  it('is stamped at the clock without a start, as before', () => {
    const summary = shop.control.simulateActivity(counts, 7);
    const now = shop.control.shopLocalNow();
    for (const id of summary.newOrders) expect(shop.control.get('orders', id)!.date_upd).toBe(now);
  });
});
