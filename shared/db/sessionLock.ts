import type { Pool, PoolClient } from 'pg';
import { advisoryUnlock, tryAdvisoryLock } from './advisoryLock';

function ignoreClientError(): void {}

/**
 * Runs `locked` on one dedicated client while holding a session advisory lock, or `busy` at once when another
 * session holds it. A client whose work failed is destroyed rather than pooled, so its session (and any lock or temp
 * table) ends with it.
 */
export async function withSessionLock<T>(
  pool: Pool,
  key: number,
  locked: (client: PoolClient) => Promise<T>,
  busy: () => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection killed under a checked-out client emits 'error'; the failing query reports it.
  client.on('error', ignoreClientError);
  let failure: Error | undefined;
  try {
    if (!(await tryAdvisoryLock(client, key))) return await busy();
    try {
      return await locked(client);
    } finally {
      await advisoryUnlock(client, key).catch(() => undefined);
    }
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    client.off('error', ignoreClientError);
    client.release(failure);
  }
}
