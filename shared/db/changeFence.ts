import type { Pool } from 'pg';
import { LOCK_NAMESPACE, LockKey } from './advisoryLock';
import { withTransaction } from './transaction';

/**
 * How the analytics refresh finds every raw change exactly once, although sync transactions commit in any order.
 *
 * Writers: nothing to remember. A trigger on every raw table (migration 007, raw.stamp_change) takes the fence's
 * shared lock, then stamps last_changed_at, for any insert or any update that changes a payload or deleted_at,
 * whatever code writes it. A stamp is never below the last fence mark.
 * Refresh: fenceRawWrites(pool) takes the lock exclusively for an instant (waiting for the transactions that hold it
 * shared), records a high mark above every stamp taken so far, and lets writers go on; every row stamped at or
 * before the mark is committed, every later stamp is above it. So processing rows with last_changed_at in
 * (previous mark, new mark] never misses or repeats a change, even if the server's clock steps back.
 */
export async function fenceRawWrites(pool: Pool): Promise<Date> {
  return withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LockKey.rawWrite]);
    const { rows } = await client.query<{ mark: Date }>(
      `update staging.raw_change_fence
       set mark = greatest(clock_timestamp(), coalesce(mark, '-infinity'::timestamptz) + interval '1 microsecond')
       returning mark`,
    );
    const mark = rows[0]?.mark;
    if (!mark) throw new Error('staging.raw_change_fence has no row; run the migrations');
    return mark;
  });
}
