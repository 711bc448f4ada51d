import type { Pool, PoolClient } from 'pg';
import { advisoryLock, advisoryUnlock } from './advisoryLock';

/**
 * The one transaction helper: BEGIN, fn, COMMIT on a client the caller holds (a run keeps one for its session
 * lock); any error rolls back and is rethrown. `begin` may carry settings in the same round trip
 * ('begin; set local ...') or an isolation level.
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

/**
 * Runs fn inside BEGIN/COMMIT on one checked-out client; any error rolls back and is rethrown.
 * A client whose connection broke is destroyed rather than returned to the pool.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs fn with one client held for its whole duration (session-level advisory locks need this). */
export async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (error) {
    broken = isConnectionError(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    client.release(broken);
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('08') || code === 'ECONNRESET' || code === '57P01');
}

/**
 * Runs fn in ONE snapshot (a REPEATABLE READ transaction) while holding a session advisory lock, on one client.
 *
 * Under REPEATABLE READ the snapshot is taken by the transaction's first statement, so a lock awaited inside the
 * transaction would leave the waiter reading the data as it was before the holder committed. The lock is therefore
 * awaited first, on the session, and the transaction begins once it is held; the lock is released after COMMIT or
 * ROLLBACK. A client whose rollback or unlock failed is destroyed, which ends its session and frees the lock.
 */
export async function withLockedSnapshot<T>(pool: Pool, key: number, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await advisoryLock(client, key);
    try {
      await client.query('begin isolation level repeatable read');
      try {
        const result = await fn(client);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: unknown) => {
          broken = rollbackError as Error;
        });
        throw error;
      }
    } finally {
      if (!broken) {
        await advisoryUnlock(client, key).catch((unlockError: unknown) => {
          broken = unlockError as Error;
        });
      }
    }
  } catch (error) {
    broken ??= isConnectionError(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    client.release(broken);
  }
}
