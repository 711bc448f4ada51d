import { Client } from 'pg';
import { createPool } from '../../shared/db/pool';
import { migrate } from '../../shared/db/migrate';
import { startEmbeddedPostgres, type RunningServer } from './postgresServer';
import { withDatabase } from './urls';

declare global {
  var phcTestServer: RunningServer | undefined;
}

/**
 * Starts embedded PostgreSQL unless TEST_DATABASE_URL names a server, then migrates a template database once.
 * Every test file clones its own database from that template (tests/support/testDatabase.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres();
    globalThis.phcTestServer = server;
    adminUrl = server.adminUrl;
  }
  process.env.PHC_TEST_ADMIN_URL = adminUrl;
  const template = `phc_test_template_${process.pid}`;
  process.env.PHC_TEST_TEMPLATE = template;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const pool = createPool({ connectionString: withDatabase(adminUrl, template), sslMode: 'disable', poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
