import type { PoolClient } from 'pg';

/**
 * BEGIN/COMMIT on a client the caller already holds (the one keeping the run's session lock). `begin` may carry
 * SET LOCAL settings in the same round trip.
 */
export async function inTransaction<T>(client: PoolClient, fn: () => Promise<T>, begin = 'begin'): Promise<T> {
  await client.query(begin);
  try {
    const result = await fn();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
