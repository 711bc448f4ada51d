/**
 * The contract between the PrestaShop client (shared/prestashop) and its users (shared/sync, shared/analytics).
 * Shop-local times are naive wall-clock strings 'YYYY-MM-DD HH:MM:SS' in the shop's PS_TIMEZONE.
 */

export type EntityResource = 'customers' | 'products' | 'orders';
export type ReferenceResource = 'order_states' | 'currencies' | 'languages' | 'configurations';

/** 'YYYY-MM-DD HH:MM:SS', shop-local. */
export type ShopLocalTime = string;

/** A record as the shop sent it (parsed JSON, string-typed values), known to have an integer id. */
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

export interface Page {
  records: ShopRecord[];
  /** Rows that failed validation, and ids the shop could not render alone (500 even at limit 1). */
  rejected: RejectedRecord[];
  /** The highest id this page covered (records and rejected), the keyset cursor for the next page. */
  lastId: number | null;
  /** False once the shop returned fewer rows than asked: the window is exhausted. */
  more: boolean;
}

export interface WindowQuery {
  resource: EntityResource;
  lo: ShopLocalTime;
  hi: ShopLocalTime;
  /** Keyset cursor: only ids strictly greater than this. 0 to start. */
  afterId: number;
  pageSize: number;
  signal?: AbortSignal;
}

export interface ShopNow {
  /** The shop server's clock (Access-Time header). */
  utc: Date;
  /** The same instant on the shop's wall clock. */
  local: ShopLocalTime;
  timeZone: string;
}

export interface ShopApi {
  /** Pages of display=full records with date_upd in [lo, hi] and id > afterId, by id ascending; one page in memory. */
  windowPages(query: WindowQuery): AsyncIterable<Page>;
  /** Newest date_upd in the whole shop (unfiltered probe), or null for an empty resource. */
  newestDateUpd(resource: EntityResource, signal?: AbortSignal): Promise<{ id: number; dateUpd: ShopLocalTime } | null>;
  /** Every id of a resource, by keyset, in pages of ids (for delete reconciliation). */
  idPages(resource: EntityResource, options: { afterId?: number; pageSize: number; signal?: AbortSignal }): AsyncIterable<number[]>;
  /** One record by id with display=full, null when the shop says it does not exist; throws when it still fails. */
  fetchById(resource: EntityResource, id: number, signal?: AbortSignal): Promise<ShopRecord | null>;
  /** A whole reference table (they carry no dates), display=full. */
  listAll(resource: ReferenceResource, signal?: AbortSignal): Promise<{ records: ShopRecord[]; rejected: RejectedRecord[] }>;
  /** The shop clock and time zone (PS_TIMEZONE, unless overridden by the PRESTASHOP_TIMEZONE setting). */
  now(signal?: AbortSignal): Promise<ShopNow>;
}
