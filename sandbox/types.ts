import type { ActivityCounts, ActivitySummary } from './activity';
import type { DocumentActivityCounts } from './documentActivity';
import type { PaymentInput, RefundLine } from './orderMutations';
import type { QuirkEntry, QuirkKind, QuirkOptions } from './data/quirks';
import type { FaultOptions } from './faults';
import type { ResourceName } from './resources';
import type { PsVersion } from './version';

export interface SandboxOptions {
  /** 0 (default): a free port. The host is always 127.0.0.1. */
  port?: number;
  /** Seed of the generated data (default 1). */
  seed?: number;
  customers?: number;
  products?: number;
  orders?: number;
  /** 2: translatable fields are [{id,value}] lists; 1 (default): plain strings. */
  languages?: 1 | 2;
  /** PS_TIMEZONE, default 'Europe/Paris'. */
  timeZone?: string;
  /** Default: start at the real now and follow real time. */
  clock?: { epochSeconds: number; frozen?: boolean };
  /** 32 characters; a fixed test key when absent. */
  apiKey?: string;
  /** Empty lists as [] (default; 1.7 and 8.1.2 alike) or {"orders":[]} (what PR #22969 aimed for). */
  emptyListShape?: 'bare' | 'keyed';
  /**
   * '8.1' (default; PSWS-Version 8.1.2): JSON with the types of a real 8.1.2 (integers as numbers, money and flags
   * as strings, one mixed list), 500s with PHP warnings for bad list parameters, array_filter on single records.
   * '1.7' (PSWS-Version 1.7.8.11): every value a string, 400s. Without the option: PHC_SANDBOX_VERSION, else '8.1'.
   */
  version?: PsVersion;
  /** PHP workers (PHP-FPM pm.max_children): API requests processed at once, the rest queue (default 8). */
  phpWorkers?: number;
  /** Bad data in the generated records (default none); records added later carry it at the same share. */
  quirks?: QuirkOptions;
}

/** What the PHP worker pool has seen since the start or the last resetStats(). */
export interface SandboxStats {
  /** API requests received (hosting 429/5xx included; /__sandbox/ calls not). */
  apiRequests: number;
  /** Requests holding a worker now, and waiting for one now. */
  inFlight: number;
  queued: number;
  inFlightPeak: number;
  queuedPeak: number;
  /** The pool size in force. */
  phpWorkers: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query parameters (last value per name; ws_key redacted). */
  query: Record<string, string>;
  /** 0 when the request was left hanging (timeoutRate, hangIds). */
  status: number;
  /** Present when the answer rendered records with display=full: how many (each cost latencyPerRecordMs). */
  fullRecords?: number;
}

/** A record rendered as display=full renders it in JSON. */
export type RenderedRecord = Record<string, unknown> & { id: number };

export interface RecordWriteOptions {
  /** Shop-local 'YYYY-MM-DD HH:MM:SS'; default: the sandbox clock. */
  dateUpd?: string;
}

/** When a back-office action happens: shop-local 'YYYY-MM-DD HH:MM:SS'; default: the sandbox clock. */
export interface EventOptions {
  at?: string;
}

export interface SandboxControl {
  now(): number;
  setClock(epochSeconds: number): void;
  advance(seconds: number): void;
  shopLocalNow(): string;

  add(resource: ResourceName, partialFields?: Record<string, unknown>, options?: RecordWriteOptions): number;
  update(resource: ResourceName, id: number, changes: Record<string, unknown>, options?: RecordWriteOptions): void;
  softDeleteCustomer(id: number): void;
  hardDelete(resource: ResourceName, id: number): void;
  restore(resource: ResourceName, id: number): void;

  /** Every current record, as display=full renders it (an array, so it is also an Iterable). */
  records(resource: ResourceName): RenderedRecord[];
  count(resource: ResourceName): number;
  get(resource: ResourceName, id: number): RenderedRecord | undefined;

  setFaults(faults: FaultOptions): void;
  clearFaults(): void;

  /** Every bad value the entity records hold now (generated quirks and values planted with update). */
  quirks(): QuirkEntry[];

  stats(): SandboxStats;
  resetStats(): void;

  requests(): RequestLogEntry[];
  resetRequests(): void;

  /** OrderHistory::changeIdOrderState: a history row, valid = logable, a payment of what is left on a paid state, date_upd. Returns the history id. */
  changeOrderState(orderId: number, stateId: number, options?: EventOptions & { employeeId?: number }): number;
  /** Order::addOrderPayment: a payment of the order's reference (default: what is left, in the order's currency), total_paid_real and date_upd. Returns the payment id. */
  addPayment(orderId: number, payment?: PaymentInput & EventOptions): number;
  /** A credit slip for some quantities of some lines and, optionally, shipping (true: all that is left; or an amount tax excluded). The order is not updated. Returns the slip id. */
  refund(orderId: number, lines: RefundLine[], shipping?: boolean | number | string, options?: EventOptions): number;
  /** Removes a line: its order_detail disappears, totals follow, date_upd moves; payments stay. */
  removeOrderLine(orderId: number, detailId: number, options?: EventOptions): void;
  /** A stock quantity (attributeId 0: a product without combinations); the product's date_upd does not move. Returns the stock_availables id. */
  setStock(productId: number, attributeId: number, quantity: number): number;
  /** A combination's price impact; the product's date_upd does not move. */
  setCombinationPrice(combinationId: number, price: string | number): void;

  simulateActivity(counts: ActivityCounts & DocumentActivityCounts, seed?: number): ActivitySummary;
  saveState(file: string): void;
  loadState(file: string): void;
}

export interface Sandbox {
  /** Shop root, e.g. http://127.0.0.1:PORT (the API is at baseUrl + '/api/'). */
  baseUrl: string;
  apiKey: string;
  /** The PrestaShop it imitates ('8.1' unless told otherwise). */
  version: PsVersion;
  control: SandboxControl;
  close(): Promise<void>;
}

export type {
  ActivityCounts,
  ActivitySummary,
  DocumentActivityCounts,
  FaultOptions,
  PaymentInput,
  PsVersion,
  QuirkEntry,
  QuirkKind,
  QuirkOptions,
  RefundLine,
  ResourceName,
};
