import { refreshAnalytics } from '../../shared/analytics/refresh';
import { createPool } from '../../shared/db/pool';
import { bootstrapRoles } from '../../shared/db/roles';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { withCredentials } from '../support/urls';
import { customerPayload, orderPayload, productPayload, upsertRaw } from './support/raw';
import { seedRevenueShop } from './support/revenueShop';

const REVENUE_TABLES = ['fact_refunds', 'fact_payments', 'fact_order_status_changes', 'fact_order_discounts'];

const passwords = { etl_user: 'etl-test-password', analytics_reader: 'reader-test-password' };

describe('the refresh under least privilege', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await bootstrapRoles(db.pool, passwords);
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-08-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '12.000000' }),
    ]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('runs full and incremental refreshes as etl_user, and analytics_reader reads the result', async () => {
    const etl = createPool({ connectionString: withCredentials(db.url, 'etl_user', passwords.etl_user), sslMode: 'disable', poolMax: 3, statementTimeoutMs: 60_000 });
    const reader = createPool({ connectionString: withCredentials(db.url, 'analytics_reader', passwords.analytics_reader), sslMode: 'disable', poolMax: 1, statementTimeoutMs: 60_000 });
    try {
      const deps = { pool: etl, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' };
      expect((await refreshAnalytics(deps, { trigger: 'test' })).mode).toBe('full');
      await upsertRaw(db.pool, 'orders', [
        orderPayload({ id: 2, customerId: 1, dateAdd: '2024-08-01 12:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '8.000000' }),
      ]);
      expect((await refreshAnalytics(deps, { trigger: 'test' })).mode).toBe('incremental');
      expect((await refreshAnalytics(deps, { trigger: 'test', full: true })).status).toBe('succeeded');
      const kpi = await reader.query('select orders_count, revenue_tax_excl::text from analytics.kpi_daily_sales');
      expect(kpi.rows).toEqual([{ orders_count: 2, revenue_tax_excl: '20' }]);
      await expect(reader.query('select count(*) from staging.data_quality_results')).rejects.toThrow(/permission denied/);
    } finally {
      await etl.end();
      await reader.end();
    }
  });

  it('lets etl_user write the revenue tables (DML only) and analytics_reader read them', async () => {
    const etl = createPool({ connectionString: withCredentials(db.url, 'etl_user', passwords.etl_user), sslMode: 'disable', poolMax: 3, statementTimeoutMs: 60_000 });
    const reader = createPool({ connectionString: withCredentials(db.url, 'analytics_reader', passwords.analytics_reader), sslMode: 'disable', poolMax: 1, statementTimeoutMs: 60_000 });
    try {
      await seedRevenueShop(db.pool);
      await refreshAnalytics({ pool: etl, log: silentLogger, telemetry: noTelemetry, timeZone: 'Europe/Paris' }, { trigger: 'test', full: true });
      for (const table of REVENUE_TABLES) {
        const { rows } = await reader.query<{ n: number }>(`select count(*)::int as n from analytics.${table}`);
        expect({ table, some: (rows[0]?.n ?? 0) > 0 }).toEqual({ table, some: true });
        const privileges = await db.pool.query(
          `select has_table_privilege('etl_user', $1, 'INSERT, UPDATE, DELETE') as etl_writes,
                  has_table_privilege('etl_user', $1, 'TRUNCATE') as etl_truncates,
                  has_table_privilege('analytics_reader', $1, 'INSERT, UPDATE, DELETE, TRUNCATE') as reader_writes`,
          [`analytics.${table}`],
        );
        expect({ table, ...privileges.rows[0] }).toEqual({ table, etl_writes: true, etl_truncates: false, reader_writes: false });
      }
      await expect(etl.query('alter table analytics.fact_refunds add column note text')).rejects.toThrow(/must be owner/);
      await expect(reader.query('delete from analytics.fact_payments')).rejects.toThrow(/permission denied/);
    } finally {
      await etl.end();
      await reader.end();
    }
  });
});
