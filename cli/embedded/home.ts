import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../shared/paths';

/**
 * The local folder of the embedded defaults: `.phc/` in the checkout (git-ignored), or PHC_HOME.
 * It holds the PostgreSQL data folder, the sandbox shop's state and the generated local passwords.
 */
export function phcHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.PHC_HOME ?? path.join(projectRoot(), '.phc'));
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
  mkdirSync(home, { recursive: true });
  // Running as root, embedded PostgreSQL runs as the `postgres` user, which must be able to reach its data folder.
  if (process.getuid?.() === 0) chmodSync(home, 0o755);
}

function secret(): string {
  return randomBytes(18).toString('base64url');
}

export function readState(home: string): EmbeddedState {
  const file = path.join(home, STATE_FILE);
  if (!existsSync(file)) {
    return { passwords: { admin: secret(), etl_user: secret(), analytics_reader: secret() }, runs: 0 };
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedState;
  } catch (error) {
    throw new Error(`${file} is not valid JSON; delete the ${home} folder to start the embedded demo afresh`, { cause: error });
  }
}

export function writeState(home: string, state: EmbeddedState): void {
  writeFileSync(path.join(home, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
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
  const file = path.join(home, 'demo.env');
  const names = ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE', 'PRESTASHOP_BASE_URL', 'PRESTASHOP_API_KEY'] as const;
  const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  writeFileSync(file, names.map((n) => `${n}=${quote(env[n] ?? '')}\n`).join(''), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
