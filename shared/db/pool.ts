import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Pool, type PoolConfig } from 'pg';

export type SslMode = 'disable' | 'require' | 'verify-full';

/** Everything needed to open connections; built by shared/config from settings, or by tests directly. */
export interface DbSettings {
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** A fixed password, or a callback pg calls for every new connection (Entra tokens). */
  password?: string | (() => Promise<string>);
  sslMode: SslMode;
  /** PEM file with the CA certificates to trust instead of Node's bundled roots. */
  sslRootCertPath?: string;
  poolMax: number;
  statementTimeoutMs: number;
  idleTimeoutMs?: number;
  connectionTimeoutMs?: number;
  applicationName?: string;
}

export const defaultDbTuning = {
  poolMax: 4,
  statementTimeoutMs: 5 * 60_000,
  idleTimeoutMs: 30_000,
  connectionTimeoutMs: 15_000,
} as const;

/**
 * verify-full checks the chain and the host name. Azure Database for PostgreSQL certificates chain to
 * DigiCert Global Root G2 / Microsoft RSA Root CA 2017, both in Node's bundled store; a PEM file can replace it.
 */
export function tlsOptions(settings: Pick<DbSettings, 'sslMode' | 'sslRootCertPath'>): false | ConnectionOptions {
  switch (settings.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return {
        rejectUnauthorized: true,
        ...(settings.sslRootCertPath ? { ca: readFileSync(settings.sslRootCertPath, 'utf8') } : {}),
      };
  }
}

export function poolConfig(settings: DbSettings): PoolConfig {
  return {
    // pg lets every field of a connection string override the options beside it (an absent password reads as
    // an empty one), so callers with a password callback or TLS settings pass fields, not a connection string.
    connectionString: settings.connectionString,
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: tlsOptions(settings),
    max: settings.poolMax,
    idleTimeoutMillis: settings.idleTimeoutMs ?? defaultDbTuning.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? defaultDbTuning.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    application_name: settings.applicationName ?? 'phc-analytics',
  };
}

export function createPool(settings: DbSettings): Pool {
  const pool = new Pool(poolConfig(settings));
  // An idle client that loses its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Waits for checked-out clients to be released, then closes every connection. Safe to call twice. */
export async function closePool(pool: Pool): Promise<void> {
  if (pool.ended) return;
  await pool.end();
}
