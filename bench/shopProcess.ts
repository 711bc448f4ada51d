import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EntityResource } from '../shared/prestashop/api';

/** The benchmark shop, started in its own process (bench/syncShop.ts) so its CPU and memory are not the sync's. */
export interface ShopInfo {
  baseUrl: string;
  apiKey: string;
  /** Every record (display=full, secrets removed) as COPY text, one file per entity, to compare raw with. */
  files: Record<EntityResource, string>;
  counts: Record<EntityResource, number>;
}

export async function startShop(orders: number, dir: string): Promise<{ info: ShopInfo; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'syncShop.js'), String(orders), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the shop process ended (${code}) before it was ready`)));
  });
  return { info: JSON.parse(line) as ShopInfo, stop: () => child.stdin.end() };
}

/** Calls a sandbox control method over HTTP (faults, stats), as a test or an operator would. */
export async function shopControl(baseUrl: string, method: string, ...args: unknown[]): Promise<unknown> {
  const response = await fetch(`${baseUrl}/__sandbox/${method}`, { method: 'POST', body: JSON.stringify(args) });
  const body = (await response.json()) as { result?: unknown; error?: string };
  if (body.error !== undefined) throw new Error(`sandbox ${method}: ${body.error}`);
  return body.result;
}
