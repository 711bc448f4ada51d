import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startThrowawayPostgres } from '../cli/embedded/throwawayPostgres';

export interface ScratchDatabase {
  url: string;
  describe: string;
  drop(): Promise<void>;
}

/** One statement on the admin connection (create or drop a scratch database). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A scratch database for the benchmark: created on the server of BENCH_DATABASE_URL or DATABASE_URL (an admin URL)
 * and dropped afterwards, or on a throw-away embedded PostgreSQL 15 when neither is set.
 */
export async function openScratchDatabase(): Promise<ScratchDatabase> {
  const name = `phc_bench_analytics_${randomBytes(4).toString('hex')}`;
  const given = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  let adminUrl: string;
  let stopServer: () => Promise<void> = () => Promise.resolve();
  let describe: string;
  if (given) {
    adminUrl = given;
    const parsed = new URL(given);
    describe = `PostgreSQL at ${parsed.hostname}:${parsed.port || '5432'}`;
  } else {
    const server = await startThrowawayPostgres({ folderPrefix: 'phc-bench-pg-', password: 'phc-bench' });
    adminUrl = server.adminUrl;
    describe = 'embedded PostgreSQL 15 (default settings)';
    stopServer = server.stop;
  }
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    describe,
    drop: async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
      await stopServer();
    },
  };
}
