import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapRoles } from '../../../shared/db/roles';
import { seedWarehouse } from '../../analytics/support/seededWarehouse';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';
import { withCredentials } from '../../support/urls';
import { phc } from './phc';

const passwords = { etl_user: 'etl-test-password', analytics_reader: 'reader-test-password' };

export interface SeededReport {
  db: TestDatabase;
  readerUrl: string;
  /** The page phc report --html wrote, and its path. */
  file: string;
  page: string;
}

/** A seeded warehouse, and the dashboard `phc report --html` draws from it as analytics_reader. */
export async function writeSeededReport(): Promise<SeededReport> {
  const db = await createTestDatabase();
  await seedWarehouse(db.pool);
  await bootstrapRoles(db.pool, passwords);
  const readerUrl = withCredentials(db.url, 'analytics_reader', passwords.analytics_reader);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'phc-report-')), 'dashboard.html');
  const run = await phc(['report', '--html', '--output', file], { DATABASE_URL: readerUrl });
  if (run.code !== 0 || !run.stderr.includes('dashboard written to')) throw new Error(`phc report --html failed (${run.code}): ${run.stderr}`);
  return { db, readerUrl, file, page: readFileSync(file, 'utf8') };
}
