import type { PoolClient } from 'pg';

/** The connection is shared between sessions by a pooler: session locks and temp tables would not hold. */
export class PooledSessionError extends Error {
  override name = 'PooledSessionError';
}

const dedicated = new WeakSet<PoolClient>();

/**
 * Throws unless this client talks to one server process for its whole life. Behind a transaction-mode pooler
 * (Azure's built-in PgBouncer on port 6432) every statement may run in another server session, so a session
 * advisory lock, a `set` or a temp table silently belongs to whoever gets that session next. Such poolers answer
 * the login with their own cancel key, whose process id is not the server's: comparing it with pg_backend_pid()
 * tells them apart from a direct connection, whatever the load. Checked once per connection.
 */
export async function assertDedicatedSession(client: PoolClient): Promise<void> {
  if (dedicated.has(client)) return;
  // pg keeps the BackendKeyData of the login on the client; its typings do not declare it.
  const loginPid = (client as unknown as { processID?: unknown }).processID;
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const serverPid = rows[0]?.pid;
  if (typeof loginPid === 'number' && serverPid !== loginPid) {
    throw new PooledSessionError(
      `The database connection goes through a transaction-pooling proxy (the login named server process ${loginPid}, ` +
        `statements run in ${String(serverPid)}): session locks and temp tables would not hold. ` +
        'Connect to PostgreSQL directly (on Azure port 5432, not the built-in PgBouncer on 6432)',
    );
  }
  dedicated.add(client);
}
