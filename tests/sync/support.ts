import type { Pool } from 'pg';
import { createShopApi } from '../../shared/prestashop/client';
import type { ShopApi } from '../../shared/prestashop/api';
import { STREAMS, type StreamName } from '../../shared/sync/entities';
import { stripSensitive } from '../../shared/prestashop/sensitiveFields';
import type { SyncDeps, SyncSettings } from '../../shared/sync/types';
import { silentLogger } from '../../shared/telemetry/types';
import { createMemoryTelemetry, type MemoryTelemetry } from '../../shared/telemetry/memory';
import { startSandbox } from '../../sandbox';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type SandboxOptions = NonNullable<Parameters<typeof startSandbox>[0]>;

export const testSettings: SyncSettings = {
  lagSeconds: 120,
  overlapSeconds: 300,
  pageSize: 100,
  reconcileMaxDeleteShare: 0.2,
  reconcilePageSize: 500,
};

export interface SyncEnv {
  db: TestDatabase;
  shop: Sandbox;
  api: ShopApi;
  telemetry: MemoryTelemetry;
  deps: SyncDeps;
  close: () => Promise<void>;
}

/** The frozen clock is moved this far past its start before any test runs. */
export const STARTUP_ADVANCE_SECONDS = 180;

/** 2024-06-03 10:00:00 UTC: a fixed, frozen shop clock so every run sees the time the test sets. */
export const T0 = Date.UTC(2024, 5, 3, 10, 0, 0) / 1000;

export function shopApiFor(shop: Sandbox, options: { timeZone?: string; requestTimeoutMs?: number; maxAttempts?: number } = {}): ShopApi {
  return createShopApi({
    baseUrl: shop.baseUrl,
    apiKey: () => Promise.resolve(shop.apiKey),
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    retry: { maxAttempts: options.maxAttempts ?? 6, baseDelayMs: 5, maxDelayMs: 50, maxTotalMs: 30_000 },
  });
}

export async function startSyncEnv(
  shopOptions: SandboxOptions = {},
  settings: Partial<SyncSettings> = {},
  db?: TestDatabase,
): Promise<SyncEnv> {
  const database = db ?? (await createTestDatabase());
  const shop = await startSandbox({ seed: 7, clock: { epochSeconds: T0, frozen: true }, ...shopOptions });
  // Seeded records reach up to the start of the clock; step past the lag so a first run sees them all.
  shop.control.advance(STARTUP_ADVANCE_SECONDS);
  const api = shopApiFor(shop);
  const telemetry = createMemoryTelemetry();
  const deps: SyncDeps = { pool: database.pool, api, log: silentLogger, telemetry, settings: { ...testSettings, ...settings } };
  return {
    db: database,
    shop,
    api,
    telemetry,
    deps,
    close: async () => {
      await shop.close();
      if (!db) await database.drop();
    },
  };
}

/** raw.<entity> as id → payload (rows marked deleted included when asked). */
export async function rawPayloads(pool: Pool, resource: StreamName, options: { includeDeleted?: boolean } = {}): Promise<Map<number, unknown>> {
  const { rows } = await pool.query<{ id: string; payload: unknown }>(
    `select id, payload from ${STREAMS[resource].table} ${options.includeDeleted ? '' : 'where deleted_at is null'} order by id`,
  );
  return new Map(rows.map((r) => [Number(r.id), r.payload]));
}

/** What raw must hold: every record the shop renders with display=full, minus the secret fields. */
export function shopPayloads(shop: Sandbox, resource: StreamName): Map<number, unknown> {
  const records = shop.control.records(resource) as { id: number }[];
  return new Map(records.map((r) => [r.id, stripSensitive(r)]));
}

/** Asserts raw equals the shop exactly, record by record. */
export async function expectRawEqualsShop(env: Pick<SyncEnv, 'db' | 'shop'>, resource: StreamName): Promise<void> {
  const raw = await rawPayloads(env.db.pool, resource);
  const shop = shopPayloads(env.shop, resource);
  expect([...raw.keys()]).toEqual([...shop.keys()].sort((a, b) => a - b));
  for (const [id, payload] of shop) expect({ id, payload: raw.get(id) }).toEqual({ id, payload });
}

export async function watermarkOf(pool: Pool, resource: StreamName): Promise<{ watermark: string; lo: string | null; hi: string | null; lastId: number | null }> {
  const { rows } = await pool.query<{ watermark: string; lo: string | null; hi: string | null; last_id: string | null }>(
    `select to_char(watermark, 'YYYY-MM-DD HH24:MI:SS') as watermark, to_char(in_progress_lo, 'YYYY-MM-DD HH24:MI:SS') as lo,
            to_char(in_progress_hi, 'YYYY-MM-DD HH24:MI:SS') as hi, in_progress_last_id as last_id
     from staging.etl_watermarks where entity = $1`,
    [STREAMS[resource].entity],
  );
  const row = rows[0]!;
  return { watermark: row.watermark, lo: row.lo, hi: row.hi, lastId: row.last_id === null ? null : Number(row.last_id) };
}

export async function historyCount(pool: Pool, resource: StreamName): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${STREAMS[resource].historyTable}`);
  return rows[0]!.n;
}

export async function lastRun(pool: Pool, resource: StreamName): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(
    `select run_id, kind, status, error, rows_fetched, rows_changed, rows_unchanged, rows_quarantined, pages, details,
            to_char(window_lo, 'YYYY-MM-DD HH24:MI:SS') as window_lo, to_char(window_hi, 'YYYY-MM-DD HH24:MI:SS') as window_hi
     from staging.etl_runs where entity = $1 order by run_id desc limit 1`,
    [STREAMS[resource].entity],
  );
  return rows[0] as Record<string, unknown>;
}
