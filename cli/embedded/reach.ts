import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

export interface OsUser {
  uid: number;
  gids: number[];
}

/** The uid and groups of an OS user, or undefined when there is no such user. */
export function osUser(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gids = execFileSync('id', ['-G', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(/\s+/)
      .map(Number);
    return Number.isInteger(uid) ? { uid, gids: gids.filter(Number.isInteger) } : undefined;
  } catch {
    return undefined;
  }
}

function canSearch(dir: string, user: OsUser): boolean {
  const stat = statSync(dir);
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (user.gids.includes(stat.gid)) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * The first folder on the way to `target` (from the root down, `target` itself included when it exists) that
 * `user` may not enter, or undefined when every one can be entered. Judged from the mode bits (owner, group,
 * others), which is what decides it unless ACLs are in use.
 */
export function firstClosedFolder(target: string, user: OsUser): string | undefined {
  const folders: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of folders) {
    let open: boolean;
    try {
      open = canSearch(dir, user);
    } catch {
      return undefined; // not there yet: it will be created (by root, for postgres)
    }
    if (!open) return dir;
  }
  return undefined;
}
