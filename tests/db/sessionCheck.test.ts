import type { Pool } from 'pg';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { LOCK_NAMESPACE, LockKey } from '../../shared/db/advisoryLock';
import { migrate } from '../../shared/db/migrate';
import { createPool } from '../../shared/db/pool';
import { PooledSessionError } from '../../shared/db/sessionCheck';
import { withSessionLock } from '../../shared/db/sessionLock';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { startLoginKeyProxy, type RunningProxy } from './support/loginKeyProxy';

const POOLED = /transaction-pooling proxy \(the login named server process \d+, statements run in \d+\): session locks and temp tables would not hold\. Connect to PostgreSQL directly \(on Azure port 5432/;

describe('a session lock refuses a connection that is not a session of its own', () => {
  let db: TestDatabase;
  let proxy: RunningProxy;
  let pooled: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    proxy = await startLoginKeyProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    pooled = createPool({ ...db.settings, connectionString: url.toString() });
  });

  afterAll(async () => {
    await pooled.end();
    await proxy.close();
    await db.drop();
  });

  const heldLocks = async (): Promise<number> =>
    (
      await db.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_locks
         where locktype = 'advisory' and classid = $1::bigint::oid
           and database = (select oid from pg_database where datname = current_database())`,
        [LOCK_NAMESPACE],
      )
    ).rows[0]?.n ?? -1;

  it('still carries ordinary statements (the stand-in is a working proxy)', async () => {
    const { rows } = await pooled.query<{ n: number }>('select count(*)::int as n from staging.schema_migrations');
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('refuses the one-run-per-entity lock before taking it', async () => {
    let ran = false;
    const attempt = withSessionLock(
      pooled,
      LockKey.syncOrders,
      () => {
        ran = true;
        return Promise.resolve('locked');
      },
      () => Promise.resolve('busy'),
    );
    await expect(attempt).rejects.toThrow(PooledSessionError);
    await expect(attempt).rejects.toThrow(POOLED);
    expect(ran).toBe(false);
    expect(await heldLocks()).toBe(0);
  });

  it('refuses to migrate and to refresh analytics', async () => {
    await expect(migrate(pooled)).rejects.toThrow(POOLED);
    const refresh = refreshAnalytics({ pool: pooled, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test' });
    await expect(refresh).rejects.toThrow(POOLED);
    expect(await heldLocks()).toBe(0);
    const runs = await db.pool.query(`select status, error from staging.etl_runs where entity = 'analytics'`);
    expect(runs.rows).toEqual([{ status: 'failed', error: expect.stringMatching(POOLED) as unknown }]);
  });

  it('lets a direct connection take the same lock', async () => {
    const locked = withSessionLock(db.pool, LockKey.syncOrders, () => Promise.resolve('locked'), () => Promise.resolve('busy'));
    await expect(locked).resolves.toBe('locked');
  });
});
