import { loadConfig } from '../../shared/config';
import { createRuntime } from '../../shared/runtime';
import { createMemoryTelemetry } from '../../shared/telemetry/memory';
import { silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('createRuntime', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('opens the pool from settings, and close() flushes telemetry once before ending the pool', async () => {
    const telemetry = createMemoryTelemetry();
    const config = loadConfig({ DATABASE_URL: db.url, PRESTASHOP_BASE_URL: 'http://127.0.0.1:9', PRESTASHOP_API_KEY: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345' });
    const runtime = await createRuntime(config, { logger: silentLogger, telemetry });
    const { rows } = await runtime.pool.query<{ db: string }>('select current_database() as db');
    expect(rows[0]?.db).toBe(db.name);
    expect(typeof runtime.api.keysetPages).toBe('function');
    await Promise.all([runtime.close(), runtime.close()]);
    expect(telemetry.flushes).toBe(1);
    expect(runtime.pool.ended).toBe(true);
  });
});
