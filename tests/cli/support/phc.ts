import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { lock } from 'proper-lockfile';

export const root = path.resolve(__dirname, '../../..');
export const mainJs = path.join(root, 'dist/cli/main.js');

function newestSource(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((newest, entry) => {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    return Math.max(newest, stat.isDirectory() ? newestSource(full) : full.endsWith('.ts') ? stat.mtimeMs : 0);
  }, 0);
}

/**
 * Builds dist/ as `npm run build` does, once for all the test files that run phc as a real child process: several
 * run at once, so the build holds a lock and is skipped when dist/ is newer than every source. Type errors are the
 * typecheck step's business (tsc still emits): only a missing output is fatal here.
 */
export async function buildCli(): Promise<void> {
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  const release = await lock(root, {
    lockfilePath: path.join(root, 'dist', '.build.lock'),
    realpath: false,
    stale: 60_000,
    retries: { retries: 170, minTimeout: 1000, maxTimeout: 1000 },
  });
  try {
    const built = existsSync(mainJs) ? statSync(mainJs).mtimeMs : 0;
    const newest = Math.max(...['cli', 'shared', 'sandbox', 'functions', 'bench'].map((dir) => newestSource(path.join(root, dir))));
    if (built < newest) {
      try {
        await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
      } catch (error) {
        void error;
      }
    }
  } finally {
    await release();
  }
  if (!existsSync(mainJs)) throw new Error(`${mainJs} was not built by tsc -p tsconfig.build.json`);
}

/** Settings that would point phc away from what a test gives it. */
const INHERITED = [
  'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE', 'PGAUTH',
  'PRESTASHOP_BASE_URL', 'PRESTASHOP_API_KEY', 'KEY_VAULT_URI', 'PRESTASHOP_TIMEZONE', 'PHC_HOME',
  'APPLICATIONINSIGHTS_CONNECTION_STRING', 'TEST_DATABASE_URL', 'PHC_TEST_ADMIN_URL',
];

export interface PhcRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The lines phc wrote about its own failure ("phc: ..."). */
  errorLines: string[];
}

export interface PhcOptions {
  /** Run as another OS user (tests that need a folder phc may not write, when they run as root). */
  uid?: number;
  gid?: number;
}

/** A phc process still running, with what it printed so far and its end. */
export interface RunningPhc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<PhcRun>;
}

export function startPhc(args: string[], env: Record<string, string>, options: PhcOptions = {}): RunningPhc {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED) delete childEnv[name];
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, [mainJs, ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<PhcRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, errorLines: stderr.split('\n').filter((l) => l.startsWith('phc: ')) }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export async function phc(args: string[], env: Record<string, string>, options: PhcOptions = {}): Promise<PhcRun> {
  return startPhc(args, env, options).done;
}

/** Waits until `ready` holds (polled), or fails after `timeoutMs`. */
export async function waitFor(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One clear line: exactly one "phc: ..." line and no stack frames, whatever else was logged before it. */
export function expectOneClearLine(run: PhcRun, mentions: RegExp): void {
  expect(run.errorLines).toHaveLength(1);
  expect(run.errorLines[0]).toMatch(mentions);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}
