import type { Pool, PoolClient } from 'pg';
import { LOCK_NAMESPACE, LockKey } from './advisoryLock';
import { withTransaction } from './transaction';

/**
 * How the analytics refresh finds every raw change exactly once, although sync transactions commit in any order.
 *
 * Writers: inside the transaction that changes raw (insert, new payload, deleted_at set or cleared), call
 * holdRawWriteShared(client) FIRST, then stamp rows with changeStampSql (clock_timestamp(), read after the lock).
 * Refresh: fenceRawWrites(pool) waits for in-flight writers, returns a high mark, and lets new writers go on;
 * every row stamped at or before the mark is committed, every later writer stamps after it. So processing rows with
 * last_changed_at in (previous mark, new mark] never misses or repeats a change.
 */
export const changeStampSql = 'clock_timestamp()';

export async function holdRawWriteShared(client: PoolClient): Promise<void> {
  await client.query('select pg_advisory_xact_lock_shared($1, $2)', [LOCK_NAMESPACE, LockKey.rawWrite]);
}

export async function fenceRawWrites(pool: Pool): Promise<Date> {
  return withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.rawWrite]);
    const { rows } = await client.query<{ mark: Date }>('select clock_timestamp() as mark');
    const mark = rows[0]?.mark;
    if (!mark) throw new Error('clock_timestamp() returned no row');
    return mark;
  });
}
