import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

/** 2024-06-03 10:00:00 UTC (12:00 in Paris), frozen: every test sees the same shop. */
export const T0 = Date.UTC(2024, 5, 3, 10, 0, 0) / 1000;

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ seed: 3, clock: { epochSeconds: T0, frozen: true }, ...options });
}

export const FIXTURES = path.join(__dirname, '..', 'prestashop', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixture(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

// Parsed response bodies are walked freely in tests; their shape is what the assertions check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json(): Json;
}

export interface CallOptions {
  /** undefined: the sandbox key as Basic-auth user; null: no key at all. */
  key?: string | null;
  /** Send the key as ?ws_key= instead of Basic auth. */
  wsKey?: boolean;
  method?: string;
  headers?: Record<string, string>;
}

/** One request to the sandbox, by path relative to the shop root (e.g. '/api/orders?display=full'). */
export async function call(sb: Sandbox, pathAndQuery: string, options: CallOptions = {}): Promise<Reply> {
  const key = options.key === undefined ? sb.apiKey : options.key;
  const url = new URL(sb.baseUrl + pathAndQuery);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (key !== null) {
    if (options.wsKey) url.searchParams.set('ws_key', key);
    else headers.Authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  }
  const res = await fetch(url, { method: options.method ?? 'GET', headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: (): Json => JSON.parse(text) };
}

/** JSON with the `output_format=JSON` parameter added. */
export function callJson(sb: Sandbox, pathAndQuery: string, options: CallOptions = {}): Promise<Reply> {
  const sep = pathAndQuery.includes('?') ? '&' : '?';
  return call(sb, `${pathAndQuery}${sep}output_format=JSON`, options);
}

/** The structure of a JSON value: key order and value types, not the values. */
export function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]);
  }
  return typeof value;
}

/** Record keys without associations, in order. */
export function fieldKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((k) => k !== 'associations');
}
