import { startThrowawayPostgres, type ThrowawayPostgres } from '../../cli/embedded/throwawayPostgres';

export { freePort } from '../../cli/embedded/freePort';

export type RunningServer = ThrowawayPostgres;

/** Starts a throw-away embedded PostgreSQL 15 in a temporary folder. */
export async function startEmbeddedPostgres(): Promise<RunningServer> {
  return startThrowawayPostgres({ folderPrefix: 'phc-test-pg-', password: 'phc-test-admin' });
}
