import { Control, type ShopHolder } from './control';
import { quirkShares } from './data/quirks';
import { Dialect } from './dialect';
import { Faults } from './faults';
import { ApiHandler } from './http/api';
import { SandboxServer } from './http/server';
import { WorkerPool } from './http/workers';
import { Shop } from './shop';
import { ShopClock, ShopZone } from './time';
import type { RequestLogEntry, Sandbox, SandboxOptions } from './types';
import { resolveVersion } from './version';

export type {
  ActivityCounts,
  ActivitySummary,
  DocumentActivityCounts,
  EventOptions,
  FaultOptions,
  PaymentInput,
  RefundLine,
  PsVersion,
  QuirkEntry,
  QuirkKind,
  QuirkOptions,
  RecordWriteOptions,
  RenderedRecord,
  RequestLogEntry,
  ResourceName,
  Sandbox,
  SandboxControl,
  SandboxOptions,
  SandboxStats,
} from './types';

/** The key every sandbox uses unless told otherwise (32 characters, like a real webservice key). */
export const DEFAULT_SANDBOX_API_KEY = 'SANDBOX0TEST0KEY0PHC0ANALYTICS00';

export const DEFAULT_SIZES = { customers: 50, products: 20, orders: 200 } as const;

/** PHP-FPM's usual pm.max_children on a small shop. */
export const DEFAULT_PHP_WORKERS = 8;

function size(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`Sandbox option ${name} must be a non-negative integer`);
  return n;
}

/** Starts a PrestaShop Webservice simulator on 127.0.0.1 with seeded, deterministic data. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiKey = options.apiKey ?? DEFAULT_SANDBOX_API_KEY;
  if (apiKey.length !== 32) throw new Error('Sandbox apiKey must be 32 characters long');
  const seed = options.seed ?? 1;
  const dialect = new Dialect(resolveVersion(options.version));
  const phpWorkers = size(options.phpWorkers, DEFAULT_PHP_WORKERS, 'phpWorkers');
  if (phpWorkers < 1) throw new Error('Sandbox option phpWorkers must be at least 1');
  const zone = new ShopZone(options.timeZone ?? 'Europe/Paris');
  const clock = new ShopClock(options.clock);
  const holder: ShopHolder = {
    shop: new Shop({
      seed,
      anchor: clock.now(),
      zone,
      languages: options.languages ?? 1,
      sizes: {
        customers: size(options.customers, DEFAULT_SIZES.customers, 'customers'),
        products: size(options.products, DEFAULT_SIZES.products, 'products'),
        orders: size(options.orders, DEFAULT_SIZES.orders, 'orders'),
      },
      version: dialect.version,
      psVersion: dialect.psVersion,
      quirks: quirkShares(options.quirks),
    }),
  };
  const faults = new Faults(seed);
  const workers = new WorkerPool(() => faults.phpWorkers ?? phpWorkers);
  faults.onChange(() => workers.drain());
  const log: RequestLogEntry[] = [];
  const control = new Control(holder, clock, faults, log, dialect, workers);
  let baseUrl = '';
  const api = new ApiHandler({
    shop: () => holder.shop,
    faults,
    apiKey,
    dialect,
    emptyListShape: options.emptyListShape ?? 'bare',
    seed,
    shopUrl: () => `${baseUrl}/`,
  });
  const server = new SandboxServer({ api, control, clock, faults, log, dialect, workers });
  const port = await server.listen(options.port ?? 0);
  baseUrl = `http://127.0.0.1:${port}`;
  return { baseUrl, apiKey, version: dialect.version, control, close: () => server.close() };
}
