/**
 * The contract between the PrestaShop client (shared/prestashop) and its users (shared/sync, shared/analytics).
 * Shop-local times are naive wall-clock strings 'YYYY-MM-DD HH:MM:SS' in the shop's PS_TIMEZONE.
 */
import type { Filter } from './query';
import type { RequestGate } from './requestGate';
import type { ShopResource } from './resources';

export type EntityResource = 'customers' | 'products' | 'orders';
export type ReferenceResource = 'order_states' | 'currencies' | 'languages' | 'configurations';
export type { ShopResource };

/** 'YYYY-MM-DD HH:MM:SS', shop-local. */
export type ShopLocalTime = string;

/** A record as the shop sent it (parsed JSON; scalars as numbers or strings), known to have an integer id. */
export interface ShopRecord {
  id: number;
  [field: string]: unknown;
}

/** A row the client could not accept, set aside with the reason; id is null when the row had none. */
export interface RejectedRecord {
  id: number | null;
  reason: string;
  payload: unknown;
}

/** Every call takes these: the caller's cancellation (a run's time budget, Ctrl-C) and its politeness gate. */
export interface CallOptions {
  signal?: AbortSignal;
  gate?: RequestGate;
}

/** The date field a window filters on: most resources change date_upd; payments and status history only have date_add. */
export type DateField = 'date_upd' | 'date_add';

export interface DateWindow {
  field: DateField;
  lo: ShopLocalTime;
  hi: ShopLocalTime;
}

/** What a keyset listing reads: every id of the resource matching the filters, by id ascending. */
export interface KeysetQuery extends CallOptions {
  resource: ShopResource;
  /** Only records whose date lies in [lo, hi], both ends included (the webservice's BETWEEN). */
  window?: DateWindow;
  /** Further filters, e.g. filter[id_order]=[a|b] for an order's children. */
  filters?: Readonly<Record<string, Filter>>;
  /** Keyset cursor: ids strictly above this. 0 to start. */
  afterId: number;
  /** The end of a range read by one of several workers: ids up to and including this. Unbounded when absent. */
  upToId?: number;
  /** Rows asked per request. */
  pageSize: number;
  /** 'full': records validated by the resource's schema; 'ids': display=[id] rows, for sweeps. */
  display: 'full' | 'ids';
}

export interface Page {
  records: ShopRecord[];
  /** Rows that failed validation, and ids the shop could not render alone (500 or no answer even at limit 1). */
  rejected: RejectedRecord[];
  /** The highest id this page covered (records and rejected): the cursor for the next page. Null when empty. */
  lastId: number | null;
  /** This page ends the listing, and the shop confirmed it holds no further id in it. */
  last: boolean;
}

export interface ShopNow {
  /** The shop server's clock (Access-Time header). */
  utc: Date;
  /** The same instant on the shop's wall clock. */
  local: ShopLocalTime;
  timeZone: string;
}

export interface DatedId {
  id: number;
  date: ShopLocalTime;
}

export interface ShopApi {
  /**
   * A keyset listing, one page in memory: ids are checked to come back strictly ascending inside the requested range,
   * and a short or empty page is confirmed against the shop's highest id of the same listing before it ends it.
   * Throws a PrestaShopError of kind 'incomplete' when the listing ends below an id the shop still holds.
   */
  keysetPages(query: KeysetQuery): AsyncIterable<Page>;
  /** The highest id of a listing (same filters and range), or null when it has none. */
  highestId(query: Omit<KeysetQuery, 'pageSize' | 'display'>): Promise<number | null>;
  /** The record with the newest date of the whole resource (unfiltered), or null for an empty resource. */
  newestChange(resource: ShopResource, field: DateField, options?: CallOptions): Promise<DatedId | null>;
  /** The record with the oldest date in [lo, hi], or null: proves a date filter works. */
  oldestChangeBetween(resource: ShopResource, window: DateWindow, options?: CallOptions): Promise<DatedId | null>;
  /** One record by id with display=full, null when the shop says it does not exist; throws when it still fails. */
  fetchById(resource: ShopResource, id: number, options?: CallOptions): Promise<ShopRecord | null>;
  /** A whole reference table (they carry no dates), display=full. */
  listAll(resource: ReferenceResource, options?: CallOptions): Promise<{ records: ShopRecord[]; rejected: RejectedRecord[] }>;
  /** The shop clock and time zone (PS_TIMEZONE, unless overridden by the PRESTASHOP_TIMEZONE setting). */
  now(options?: CallOptions): Promise<ShopNow>;
}
