import type { Pool } from 'pg';
import type { ShopApi, ShopLocalTime } from '../prestashop/api';
import type { Logger, Telemetry } from '../telemetry/types';
import type { ChildCounts } from './children';
import type { ChildStreamName, EntityName, SweptStreamName, WindowedStreamName } from './entities';
import type { GateStats } from '../prestashop/requestGate';
import type { RunCause, RunCounts, RunStatus } from './runLedger';

export interface SyncSettings {
  lagSeconds: number;
  overlapSeconds: number;
  /** Records per page with display=full. */
  pageSize: number;
  /** Reconciliation refuses to mark more than this share (0..1) of live rows deleted in one sweep. */
  reconcileMaxDeleteShare: number;
  /** Ids per page when sweeping for deletes. */
  reconcilePageSize: number;
  /** Most requests in flight per entity (PRESTASHOP_CONCURRENCY); 1 reads a window page after page. Default 2. */
  concurrency?: number;
  /** A run that sets aside more than this share (0..1) of what it read is partial, not succeeded. Default 0.05. */
  maxRejectShare?: number;
}

export interface SyncDeps {
  pool: Pool;
  api: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  settings: SyncSettings;
  /** Milliseconds since the epoch, for the time budget; Date.now by default. */
  clock?: () => number;
}

export interface SyncProgress {
  entity: EntityName;
  runId: number;
  pages: number;
  lastId: number | null;
  rowsFetched: number;
  rowsChanged: number;
  windowLo: ShopLocalTime;
  windowHi: ShopLocalTime;
}

export interface SyncOptions {
  /** Who started the run: 'timer', 'cli', 'test'... (stored in etl_runs.trigger). */
  trigger: string;
  /** Re-read everything from the epoch; what raw holds stays and is upserted over. */
  fullRefresh?: boolean;
  /** Stop between pages once this many seconds have passed; the checkpoint lets the next run continue. */
  timeBudgetSeconds?: number;
  /** Called after every committed page. */
  onProgress?: (progress: SyncProgress) => void;
  /** Stops the run (Ctrl-C): requests in flight are aborted, nothing more is committed, the run is 'interrupted'. */
  signal?: AbortSignal;
}

export interface SyncResult extends RunCounts {
  runId: number;
  entity: EntityName;
  resource: WindowedStreamName | SweptStreamName;
  status: RunStatus;
  windowLo: ShopLocalTime | null;
  windowHi: ShopLocalTime | null;
  /** True when this run continued a checkpoint left by an earlier run. */
  resumed: boolean;
  watermarkBefore: ShopLocalTime | null;
  watermarkAfter: ShopLocalTime | null;
  /** Rows of raw were inserted, changed or revived by this run (quarantine retries included). */
  changed: boolean;
  /**
   * Where the wall time went: waiting for the shop's next page (what the prefetch could not hide) and committing
   * pages to PostgreSQL. The rest is start-up, quarantine retries and the ledger.
   */
  timings: { shopWaitMs: number; dbMs: number };
  /** Why a run was skipped, partial, interrupted or failed. */
  reason?: string;
  /** The reason in a word alerts can read. */
  cause?: RunCause;
  /** What the run did to the streams read through its records (an order's details and cart rules). */
  children?: Partial<Record<ChildStreamName, ChildCounts>>;
  /** How the run used the shop: requests, retries, the concurrency it kept, time waited for a slot. */
  fetch?: GateStats;
  durationMs: number;
}
