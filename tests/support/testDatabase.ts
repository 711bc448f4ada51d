import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPool, type DbSettings } from '../../shared/db/pool';
import { adminUrl, templateDatabase, withDatabase } from './urls';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  settings: DbSettings;
  drop: () => Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file: a copy of the migrated template, or empty with { migrated: false }. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `phc_t_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : templateDatabase();
  await adminQuery(`create database ${name} template ${template}`);
  const url = withDatabase(adminUrl(), name);
  const settings: DbSettings = { connectionString: url, sslMode: 'disable', poolMax: 4, statementTimeoutMs: 60_000 };
  const pool = createPool(settings);
  return {
    name,
    url,
    pool,
    settings,
    drop: async () => {
      await pool.end().catch(() => undefined);
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
