import { refreshAnalytics } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { customerPayload, orderPayload, snapshotAnalytics, upsertRaw } from './support/raw';

/*
 * Two cohorts: January 2024 (customers 1 and 2) and March 2024 (customer 3).
 *   customer 1: January, February        customer 2: January, April        customer 3: March
 * The grid runs to April, the last month with a valid order, for both cohorts.
 */
const order = (id: number, customerId: number, dateAdd: string, valid = true) =>
  orderPayload({ id, customerId, dateAdd, valid, conversionRate: '1.000000', totalPaidTaxExcl: '10.000000' });

describe('cohort_monthly', () => {
  let db: TestDatabase;
  const refresh = (full = false) => refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test', full });
  const grid = async (): Promise<unknown[]> =>
    (
      await db.pool.query<Record<string, unknown>>(
        `select cohort_month::text, months_since, customers, cohort_customers, retention_rate::text
         from analytics.cohort_monthly order by cohort_month, months_since`,
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [1, 2, 3].map((id) => customerPayload({ id })));
    await upsertRaw(db.pool, 'orders', [
      order(1, 1, '2024-01-05 10:00:00'),
      order(2, 2, '2024-01-20 10:00:00'),
      order(3, 1, '2024-02-10 10:00:00'),
      order(4, 3, '2024-03-03 10:00:00'),
      order(5, 2, '2024-04-12 10:00:00'),
    ]);
    await refresh();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('has every month of every cohort up to the last month with orders, with size and retention', async () => {
    expect(await grid()).toEqual([
      { cohort_month: '2024-01-01', months_since: 0, customers: 2, cohort_customers: 2, retention_rate: '1.0000' },
      { cohort_month: '2024-01-01', months_since: 1, customers: 1, cohort_customers: 2, retention_rate: '0.5000' },
      { cohort_month: '2024-01-01', months_since: 2, customers: 0, cohort_customers: 2, retention_rate: '0.0000' },
      { cohort_month: '2024-01-01', months_since: 3, customers: 1, cohort_customers: 2, retention_rate: '0.5000' },
      { cohort_month: '2024-03-01', months_since: 0, customers: 1, cohort_customers: 1, retention_rate: '1.0000' },
      { cohort_month: '2024-03-01', months_since: 1, customers: 0, cohort_customers: 1, retention_rate: '0.0000' },
    ]);
  });

  it('keeps a month that empties, drops months past the new last one, and reads as a rebuild does, to the digit', async () => {
    // February loses its only order, April its only one: the grid now ends in March.
    await upsertRaw(db.pool, 'orders', [order(3, 1, '2024-02-10 10:00:00', false), order(5, 2, '2024-04-12 10:00:00', false)]);
    expect((await refresh()).mode).toBe('incremental');
    const expected = [
      { cohort_month: '2024-01-01', months_since: 0, customers: 2, cohort_customers: 2, retention_rate: '1.0000' },
      { cohort_month: '2024-01-01', months_since: 1, customers: 0, cohort_customers: 2, retention_rate: '0.0000' },
      { cohort_month: '2024-01-01', months_since: 2, customers: 0, cohort_customers: 2, retention_rate: '0.0000' },
      { cohort_month: '2024-03-01', months_since: 0, customers: 1, cohort_customers: 1, retention_rate: '1.0000' },
    ];
    expect(await grid()).toEqual(expected);
    const incremental = await snapshotAnalytics(db.pool);
    await refresh(true);
    expect(await snapshotAnalytics(db.pool)).toEqual(incremental);
    expect(await grid()).toEqual(expected);
  });
});
