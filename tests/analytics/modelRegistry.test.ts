import { modelDeclaration } from '../../shared/analytics/modelRegistry';
import { analyticsModels } from '../../shared/analytics/models';
import { SQL_CHECKS } from '../../shared/analytics/dataQualityChecks';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('the analytics model declarations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('declare every analytics model a refresh builds, with a key made of the table\'s columns', async () => {
    const models = analyticsModels();
    expect(models).toEqual(expect.arrayContaining(['dim_customer', 'dim_product', 'fact_orders', 'fact_order_lines', 'kpi_daily_sales', 'cohort_monthly']));
    for (const name of models) {
      const declaration = modelDeclaration(name);
      const { rows } = await db.pool.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = 'analytics' and table_name = $1",
        [name],
      );
      expect({ name, missing: declaration.key.filter((k) => !rows.some((r) => r.column_name === k)) }).toEqual({ name, missing: [] });
    }
  });

  it('give every declared model its key checks, critical', () => {
    for (const name of analyticsModels()) {
      const checks = SQL_CHECKS.filter((c) => c.entity === name && c.check.startsWith('key_'));
      expect({ name, checks: checks.map((c) => `${c.check}:${c.severity}`).sort() }).toEqual({ name, checks: ['key_not_null:critical', 'key_unique:critical'] });
    }
  });

  it('names the file and the problem when a model has no declaration', () => {
    expect(() => modelDeclaration('no_such_model')).toThrow(/add sql\/models\/analytics\/no_such_model\.yml/);
  });
});
