import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { CliError } from '../cliError';
import { ExitCode } from '../exitCodes';
import { demoEnvFile } from './home';

/**
 * One demo per PHC_HOME at a time. A second `phc pipeline` on the same folder would stop the first one's
 * PostgreSQL and later write its older shop state over the newer one, so it is refused while the first lives.
 *
 * The lock is proper-lockfile's: a directory whose mtime the owner refreshes every few seconds, so it goes stale
 * (and is taken over) once its owner is gone, however it ended. The owner's pid, kept beside it, only serves the
 * message and lets a run that finds a freshly dead owner wait for the lock to go stale instead of refusing.
 */
const STALE_MS = 10_000;

export interface DemoLock {
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  startedAt: string;
}

function ownerFile(home: string): string {
  return path.join(home, 'demo.owner.json');
}

function readOwner(home: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(home), 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.startedAt === 'string' ? { pid: owner.pid, startedAt: owner.startedAt } : undefined;
  } catch {
    return undefined;
  }
}

/** True while the process exists (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function isLocked(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ELOCKED';
}

/** Takes the demo lock of `home`, or refuses with the one line saying who holds it and what to do. */
export async function lockDemo(home: string, onLost: (message: string) => void): Promise<DemoLock> {
  const options = {
    lockfilePath: path.join(home, 'demo.lock'),
    realpath: false,
    stale: STALE_MS,
    onCompromised: () => onLost(`the demo lock in ${home} was lost (the process stalled for over ${STALE_MS / 1000} s); another phc may now use the same folder`),
  };
  let release: () => Promise<void>;
  try {
    release = await lock(home, options);
  } catch (error) {
    if (!isLocked(error)) throw error;
    const owner = readOwner(home);
    if (owner && processAlive(owner.pid)) throw busy(home, owner, error);
    // The owner has just ended (or never wrote its pid): its lock goes stale within STALE_MS.
    try {
      release = await lock(home, { ...options, retries: { retries: Math.ceil(STALE_MS / 1000) + 2, minTimeout: 1000, maxTimeout: 1000 } });
    } catch (again) {
      if (!isLocked(again)) throw again;
      throw busy(home, readOwner(home), again);
    }
  }
  writeFileSync(ownerFile(home), `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  return {
    release: async () => {
      rmSync(ownerFile(home), { force: true });
      await release().catch(() => undefined);
    },
  };
}

function busy(home: string, owner: Owner | undefined, cause: unknown): CliError {
  const who = owner ? `another phc (pid ${owner.pid}, started ${owner.startedAt.slice(0, 19).replace('T', ' ')} UTC)` : 'another phc';
  return new CliError(
    `the demo in ${home} is in use by ${who}: to use it from this shell, run set -a && . ${demoEnvFile(home)} && set +a and then phc status (or psql); ` +
      'stop it with Ctrl-C in its own shell; or set PHC_HOME to another folder for a second demo',
    ExitCode.failure,
    { cause },
  );
}
