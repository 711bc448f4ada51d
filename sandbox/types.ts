import type { ActivityCounts, ActivitySummary } from './activity';
import type { FaultOptions } from './faults';
import type { ResourceName } from './resources';

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
  /** Empty lists as [] (1.7.x, default) or {"orders":[]} (8.x). */
  emptyListShape?: 'bare' | 'keyed';
  /** '8': a single record fetched without display drops "0", "" and null fields (array_filter). Default '1.7'. */
  version?: '1.7' | '8';
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query parameters (last value per name; ws_key redacted). */
  query: Record<string, string>;
  /** 0 when the request was left hanging by the timeout fault. */
  status: number;
}

/** A record rendered as display=full renders it in JSON. */
export type RenderedRecord = Record<string, unknown> & { id: number };

export interface RecordWriteOptions {
  /** Shop-local 'YYYY-MM-DD HH:MM:SS'; default: the sandbox clock. */
  dateUpd?: string;
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

  requests(): RequestLogEntry[];
  resetRequests(): void;

  simulateActivity(counts: ActivityCounts, seed?: number): ActivitySummary;
  saveState(file: string): void;
  loadState(file: string): void;
}

export interface Sandbox {
  /** Shop root, e.g. http://127.0.0.1:PORT (the API is at baseUrl + '/api/'). */
  baseUrl: string;
  apiKey: string;
  control: SandboxControl;
  close(): Promise<void>;
}

export type { ActivityCounts, ActivitySummary, FaultOptions, ResourceName };
