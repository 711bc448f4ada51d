import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.phcTestServer;
  if (server) {
    await server.stop();
    return;
  }
  // On a shared server, remove this run's template (test databases are dropped by their own files).
  const adminUrl = process.env.PHC_TEST_ADMIN_URL;
  const template = process.env.PHC_TEST_TEMPLATE;
  if (!adminUrl || !template) return;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${template} with (force)`);
  } finally {
    await admin.end();
  }
}
