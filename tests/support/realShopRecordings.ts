import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Responses recorded from a real PrestaShop 8.1.2. They live beside the repository, in the team's shared folder
 * (CI always has it); they carry the demo shop's own data, so they are never copied into the repository.
 */
export const RECORDINGS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'prestashop', 'fixtures', 'real-8.1.2');

export const recordingsAvailable = (): boolean => existsSync(RECORDINGS_DIR);

/** One line saying why a test that reads the recordings is skipped (their folder is absent). */
export function skippedLine(what: string): string {
  return `${what}: skipped, the recordings of a real PrestaShop 8.1.2 are not at ${RECORDINGS_DIR}`;
}

export interface Recording {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function recording(name: string): Recording {
  const head = readFileSync(path.join(RECORDINGS_DIR, `${name}.headers`), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { name, status, headers, body: readFileSync(path.join(RECORDINGS_DIR, `${name}.body`), 'utf8') };
}

export function recordingNames(): string[] {
  return readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.body'))
    .map((f) => f.slice(0, -'.body'.length))
    .sort();
}

/** The list under the single key of a recorded JSON list body, with that key; null for anything else. */
export function recordedList(r: Recording): { key: string; rows: unknown[] } | null {
  if (r.status !== 200 || !(r.headers['content-type'] ?? '').startsWith('application/json')) return null;
  const body = JSON.parse(r.body) as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return null;
  const rows = (body as Record<string, unknown>)[key];
  return Array.isArray(rows) ? { key, rows } : null;
}
