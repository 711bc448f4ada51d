import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { settingValue } from '../../shared/config/reader';
import { projectRoot } from '../../shared/paths';
import { CliError } from '../cliError';
import { ExitCode } from '../exitCodes';

/**
 * The local folder of the embedded defaults: `.phc/` in the checkout (git-ignored), or PHC_HOME.
 * It holds the PostgreSQL data folder, the sandbox shop's state and the generated local passwords.
 */
export function phcHome(env: NodeJS.ProcessEnv = process.env): string {
  // An empty PHC_HOME (local.settings.example.json ships one) means unset, never "the current folder".
  return path.resolve(settingValue(env, 'PHC_HOME') ?? path.join(projectRoot(), '.phc'));
}

/** The settings of the running demo, for another shell (see writeDemoEnv). */
export function demoEnvFile(home: string): string {
  return path.join(home, 'demo.env');
}

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

/** The one line for a demo folder phc cannot use, with the way out. */
function homeProblem(home: string, error: unknown, doing: string): CliError {
  const how = 'set PHC_HOME to a folder you can write (or leave it empty for .phc in the checkout)';
  switch (code(error)) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new CliError(`PHC_HOME (${home}) is a file, not a folder: ${how}`, ExitCode.usage, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new CliError(`phc may not ${doing} in ${home} (permission denied): ${how}, or fix the folder's permissions`, ExitCode.usage, { cause: error });
    case 'EROFS':
      return new CliError(`phc may not ${doing} in ${home} (read-only file system): ${how}`, ExitCode.usage, { cause: error });
    default:
      return new CliError(`phc could not ${doing} in ${home}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.failure, { cause: error });
  }
}

export interface EmbeddedState {
  /** The port the embedded PostgreSQL listened on last time; reused while it stays free. */
  port?: number;
  /** Local-only passwords, generated once; never printed. */
  passwords: { admin: string; etl_user: string; analytics_reader: string };
  /** Runs of the demo so far: 0 before the first. */
  runs: number;
  /** The sandbox shop's clock at the end of the last run (ISO), so the shop's time never goes backwards. */
  shopClock?: string;
}

const STATE_FILE = 'embedded.json';

export function ensureHome(home: string): void {
  try {
    if (existsSync(home) && !statSync(home).isDirectory()) throw Object.assign(new Error(`${home} is a file`), { code: 'ENOTDIR' });
    mkdirSync(home, { recursive: true });
    accessSync(home, constants.W_OK); // an existing folder of another user's, or a read-only checkout
    // Running as root, embedded PostgreSQL runs as the `postgres` user, which must be able to reach its data folder.
    if (process.getuid?.() === 0) chmodSync(home, 0o755);
  } catch (error) {
    throw homeProblem(home, error, 'create the demo folder');
  }
}

function secret(): string {
  return randomBytes(18).toString('base64url');
}

export function readState(home: string): EmbeddedState {
  const file = path.join(home, STATE_FILE);
  if (!existsSync(file)) {
    return { passwords: { admin: secret(), etl_user: secret(), analytics_reader: secret() }, runs: 0 };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Not the file's content: deleting the folder (and the demo with it) would be the wrong advice.
    throw code(error) === 'EACCES' || code(error) === 'EPERM'
      ? new CliError(`phc may not read ${file} (permission denied): run phc as the user who owns ${home} (or chown it to yourself); the demo in it is intact`, ExitCode.failure, { cause: error })
      : homeProblem(home, error, 'read the demo state');
  }
  try {
    return JSON.parse(text) as EmbeddedState;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON; delete the ${home} folder to start the embedded demo afresh`, ExitCode.failure, { cause: error });
  }
}

export function writeState(home: string, state: EmbeddedState): void {
  try {
    writeFileSync(path.join(home, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    throw homeProblem(home, error, 'save the demo state');
  }
}

/** A libpq password file, so the printed psql command works without showing the password. */
export function writePgpass(home: string, port: number, database: string, user: string, password: string): string {
  const file = path.join(home, 'pgpass');
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  writeFileSync(file, `127.0.0.1:${port}:${escape(database)}:${escape(user)}:${escape(password)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * The settings of the running demo (etl_user's URL, the sandbox address and key) in a private file, so another
 * shell can run phc against it with `set -a && . <file> && set +a` without any secret being printed.
 */
export function writeDemoEnv(home: string, env: NodeJS.ProcessEnv): string {
  const file = demoEnvFile(home);
  const names = ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE', 'PRESTASHOP_BASE_URL', 'PRESTASHOP_API_KEY'] as const;
  const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  writeFileSync(file, names.map((n) => `${n}=${quote(env[n] ?? '')}\n`).join(''), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
