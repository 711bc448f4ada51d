import { DataQualityError } from '../../shared/analytics/dataQuality';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { createMemoryTelemetry } from '../../shared/telemetry/memory';
import { Event, Metric } from '../../shared/telemetry/names';
import type { Fields, Logger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { customerPayload, orderPayload, productPayload, upsertRaw } from './support/raw';

function recordingLogger(lines: { level: string; message: string; fields: Fields }[], base: Fields = {}): Logger {
  const at = (level: string) => (message: string, fields: Fields = {}) => lines.push({ level, message, fields: { ...base, ...fields } });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => recordingLogger(lines, { ...base, ...fields }) };
}

describe('analytics refresh telemetry', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-02-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '10.000000' }),
      orderPayload({ id: 2, customerId: 9, dateAdd: '2024-02-01 11:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '10.000000' }),
    ]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('emits the refresh and data-quality metrics and events by their contract names (strict)', async () => {
    const telemetry = createMemoryTelemetry({ strict: true });
    const lines: { level: string; message: string; fields: Fields }[] = [];
    const result = await refreshAnalytics({ pool: db.pool, log: recordingLogger(lines), telemetry, timeZone: 'UTC' }, { trigger: 'test' });
    const refreshEvent = telemetry.items.find((i) => i.name === Event.analyticsRefresh.name);
    expect(refreshEvent?.dimensions).toEqual({ mode: 'full', status: 'succeeded', runId: String(result.runId) });
    expect(telemetry.items.find((i) => i.name === Metric.analyticsRefreshMs.name)?.dimensions).toEqual({ mode: 'full', status: 'succeeded' });
    const fk = telemetry.items.filter((i) => i.dimensions.check === 'fk_order_customer');
    expect(fk).toEqual([
      { kind: 'metric', name: Metric.dataQualityFailures.name, value: 1, dimensions: { check: 'fk_order_customer', entity: 'fact_orders', severity: 'warning' } },
      { kind: 'event', name: Event.dataQualityResult.name, dimensions: { check: 'fk_order_customer', entity: 'fact_orders', severity: 'warning', status: 'fail' }, measurements: { failingCount: 1 } },
    ]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => [l.message, l.fields.check, l.fields.runId])).toEqual([
      ['data-quality warning', 'fk_order_customer', result.runId],
    ]);
  });

  it('reports a failed refresh with status failed and one error line naming the check', async () => {
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 3, customerId: 1, dateAdd: '2024-02-02 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '10.000000',
        lines: [{ id: 100, productId: 1, quantity: 1, unitPriceTaxExcl: '10.000000' }] }),
    ]);
    const telemetry = createMemoryTelemetry({ strict: true });
    const lines: { level: string; message: string; fields: Fields }[] = [];
    await expect(refreshAnalytics({ pool: db.pool, log: recordingLogger(lines), telemetry, timeZone: 'UTC' }, { trigger: 'test' })).rejects.toBeInstanceOf(DataQualityError);
    expect(telemetry.items.find((i) => i.name === Event.analyticsRefresh.name)?.dimensions.status).toBe('failed');
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^Critical data-quality check failed: key_unique on fact_order_lines/);
  });
});
