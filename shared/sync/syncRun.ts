import type { PoolClient } from 'pg';
import type { ShopLocalTime, ShopNow } from '../prestashop/api';
import { createRequestGate, type RequestGate } from '../prestashop/requestGate';
import type { Logger } from '../telemetry/types';
import type { ChildCounts } from './children';
import type { ChildStreamName, WindowedStream } from './entities';
import { zeroCounts, type RunCause, type RunCounts, type RunKind } from './runLedger';
import type { SyncDeps, SyncOptions } from './types';

export const DEFAULT_CONCURRENCY = 2;
export const DEFAULT_MAX_REJECT_SHARE = 0.05;

/** Why a run stops before its work is done. */
export type StopReason = 'time_budget' | 'interrupted' | 'error';

/**
 * The state of one sync run, shared by the window reader, the page commits and the result. A run stops for one
 * reason at most: its time budget, the operator (options.signal), or the first error; stopping aborts every
 * request in flight through `signal`.
 */
export class SyncRun {
  readonly counts: RunCounts = zeroCounts();
  readonly details: Record<string, unknown> = {};
  readonly gate: RequestGate;
  readonly concurrency: number;
  readonly log: Logger;
  readonly startedMs: number;
  windowLo: ShopLocalTime | null = null;
  windowHi: ShopLocalTime | null = null;
  resumed = false;
  watermarkBefore: ShopLocalTime | null = null;
  watermarkAfter: ShopLocalTime | null = null;
  shopNow: ShopNow | null = null;
  /** Why the run is partial (or why it failed), for the ledger and the one line an operator reads. */
  reason?: string;
  cause?: RunCause;
  /** The first reason a record was set aside, and how many pages had every record set aside. */
  firstReject?: string;
  fullyRejectedPages = 0;
  /** Records the shop sent (stored, refused or set aside by the client), the base of the reject share. */
  recordsRead = 0;
  /** What the run did to the streams read through its records (an order's details and cart rules). */
  readonly children: Partial<Record<ChildStreamName, ChildCounts>> = {};
  /** Records this run set aside that were not already waiting in the quarantine. */
  newlySetAside = 0;
  readonly timings = { shopWaitMs: 0, dbMs: 0 };
  /** The page transactions' BEGIN with their settings, decided on the first page. */
  pageBegin?: string;
  private readonly controller = new AbortController();
  private stopped: StopReason | null = null;
  private stopError: unknown;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly deps: SyncDeps,
    readonly info: WindowedStream,
    readonly runId: number,
    readonly kind: RunKind,
    readonly options: SyncOptions,
    readonly client: PoolClient,
    startedMs: number,
  ) {
    this.startedMs = startedMs;
    this.log = deps.log.child({ runId, entity: info.entity });
    this.concurrency = deps.settings.concurrency ?? DEFAULT_CONCURRENCY;
    this.gate = createRequestGate(this.concurrency);
    const external = options.signal;
    if (external) {
      const onAbort = (): void => this.stop('interrupted');
      if (external.aborted) onAbort();
      else {
        external.addEventListener('abort', onAbort, { once: true });
        this.cleanups.push(() => external.removeEventListener('abort', onAbort));
      }
    }
    if (options.timeBudgetSeconds !== undefined) {
      // Pages stop at the budget; a request still in flight then (a record that hangs) is cut at the hard deadline.
      const hardMs = hardDeadlineMs(options.timeBudgetSeconds) - ((deps.clock ?? Date.now)() - startedMs);
      const timer = setTimeout(() => this.stop('time_budget'), Math.max(0, hardMs));
      timer.unref();
      this.cleanups.push(() => clearTimeout(timer));
    }
  }

  /** Aborts with every request of the run: time budget, operator or error. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopReason(): StopReason | null {
    return this.stopped;
  }

  /** The first error that stopped the run, if an error did. */
  get error(): unknown {
    return this.stopError;
  }

  /** True once the time budget is spent: checked between pages. */
  budgetSpent(): boolean {
    const budget = this.options.timeBudgetSeconds;
    if (budget === undefined) return false;
    return (this.deps.clock ?? Date.now)() - this.startedMs >= budget * 1000;
  }

  /** Stops the run once, for the first reason given; aborts what is in flight. */
  stop(reason: StopReason, error?: unknown): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    this.stopError = error;
    this.controller.abort(new Error(`sync run stopped: ${reason}`));
  }

  /** Stops at the budget; true when the run must not start another page. */
  shouldStop(): boolean {
    if (this.stopped === null && this.budgetSpent()) this.stop('time_budget');
    return this.stopped !== null;
  }

  close(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

/**
 * When requests still in flight are cut: the budget plus a grace of a tenth of it (5 to 45 s), so the last page
 * can finish, and a Functions run with the largest allowed budget (540 s) still ends inside the 600 s timeout.
 */
export function hardDeadlineMs(budgetSeconds: number): number {
  return (budgetSeconds + Math.min(45, Math.max(5, budgetSeconds / 10))) * 1000;
}
