import type { Filter } from './query/parse';
import { Rng, Stream } from './random';

export interface FaultOptions {
  /** Delay before every API response. */
  latencyMs?: number;
  /** Share of API requests answered with a 5xx (0..1). */
  rate5xx?: number;
  /** Share of API requests answered 429 Too Many Requests (0..1). */
  rate429?: number;
  /** Retry-After seconds sent with 429 (and 503 from the 5xx fault). */
  retryAfterSeconds?: number;
  /** Share of API requests that never get an answer (the client must time out). */
  timeoutRate?: number;
  /** Rendering the full record of one of these ids answers 500 with a PHP notice, as a broken record does. */
  poisonIds?: number[];
  /** The next N API responses carry truncated JSON. */
  malformedJsonNext?: number;
  /** The next N list requests answer 200 with an empty list (an SQL error swallowed by Db::query). */
  swallowedSqlErrorNext?: number;
  /** PS_WEBSERVICE = 0: every API request answers 503 code 22. */
  webserviceDisabled?: boolean;
  /** Rendering one of these ids with display=full (in a list or alone) never answers: a record PHP hangs on. */
  hangIds?: number[];
  /** Lists ignore `sort` (a module rewriting the list query): a seeded scramble of the matching ids, then the limit. */
  ignoreSort?: boolean;
  /** At most this many rows per list answer, whatever `limit` asks (a proxy or module capping the page size). */
  maxLimit?: number;
  /**
   * Every list request (of this resource, or of any) whose filter[id] is >[N] with N >= id, or an interval whose
   * lower bound is >= id, answers the empty 200 of a swallowed SQL error, every time.
   */
  emptyListAfterId?: { id: number; resource?: string };
  /** PHP workers (PHP-FPM pm.max_children): API requests processed at once; the others wait their turn. */
  phpWorkers?: number;
  /** Extra delay per record rendered with display=full (id-only rows cost nothing), spent holding a worker. */
  latencyPerRecordMs?: number;
  /** Resources the key may not read: 401 code 26, as a key without GET permission on them gets. */
  forbiddenResources?: string[];
  /**
   * Limits poisonIds and hangIds to these resources. Without it hangIds apply to every resource and poisonIds to
   * every resource but the reference tables (order_states, currencies, languages, configurations).
   */
  faultResources?: string[];
}

/** Tables a poisoned id never breaks unless faultResources names them (their ids are tiny and shared by all). */
const REFERENCE_TABLES: ReadonlySet<string> = new Set(['order_states', 'currencies', 'languages', 'configurations']);

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`Sandbox fault ${message}`);
}

const isWhole = (n: unknown, min: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= min;
const isDelay = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Rejects settings that would make the sandbox misbehave in a way no shop does (a typo, a negative delay). */
function validate(options: FaultOptions): void {
  const { maxLimit, phpWorkers, latencyMs, latencyPerRecordMs, hangIds, emptyListAfterId, forbiddenResources, faultResources } = options;
  const names = (value: unknown): boolean => Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '');
  check(forbiddenResources === undefined || names(forbiddenResources), 'forbiddenResources must be a list of resource names');
  check(faultResources === undefined || names(faultResources), 'faultResources must be a list of resource names');
  check(maxLimit === undefined || isWhole(maxLimit, 1), 'maxLimit must be a whole number of at least 1');
  check(phpWorkers === undefined || isWhole(phpWorkers, 1), 'phpWorkers must be a whole number of at least 1');
  check(latencyMs === undefined || isDelay(latencyMs), 'latencyMs must be a number of milliseconds >= 0');
  check(latencyPerRecordMs === undefined || isDelay(latencyPerRecordMs), 'latencyPerRecordMs must be a number of milliseconds >= 0');
  check(hangIds === undefined || (Array.isArray(hangIds) && hangIds.every((id) => isWhole(id, 1))), 'hangIds must be a list of ids');
  check(emptyListAfterId === undefined || isWhole(emptyListAfterId.id, 0), 'emptyListAfterId needs { id: number, resource?: string }');
}

/** MySQL's reading of a filter literal as a number (its numeric prefix). */
function literalNumber(text: string): number {
  const n = Number.parseFloat(text);
  return Number.isNaN(n) ? 0 : n;
}

export type InjectedFault =
  | { kind: 'none' }
  | { kind: 'timeout' }
  | { kind: 'status'; status: number; retryAfter?: number };

/** Fault state; randomness comes from a seeded PRNG so a test sees the same sequence every run. */
export class Faults {
  private options: FaultOptions = {};
  private rng: Rng;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly seed: number) {
    this.rng = new Rng(seed, Stream.faults);
  }

  set(options: FaultOptions): void {
    validate(options);
    this.options = { ...this.options, ...options };
    this.rng = new Rng(this.seed, Stream.faults);
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    this.options = {};
    this.rng = new Rng(this.seed, Stream.faults);
    for (const listener of this.listeners) listener();
  }

  /** Called after every set() and clear() (the worker pool resizes). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  current(): FaultOptions {
    return { ...this.options };
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  get disabled(): boolean {
    return this.options.webserviceDisabled === true;
  }

  get latencyPerRecordMs(): number {
    return this.options.latencyPerRecordMs ?? 0;
  }

  get phpWorkers(): number | undefined {
    return this.options.phpWorkers;
  }

  get ignoreSort(): boolean {
    return this.options.ignoreSort === true;
  }

  isPoison(id: number): boolean {
    return this.options.poisonIds?.includes(id) ?? false;
  }

  /** Whether poisonIds apply to this resource. */
  poisons(resource: string): boolean {
    const scope = this.options.faultResources;
    return scope ? scope.includes(resource) : !REFERENCE_TABLES.has(resource);
  }

  /** Whether rendering these ids of this resource in full hangs. */
  hangsOn(resource: string, ids: readonly number[]): boolean {
    const hang = this.options.hangIds;
    if (hang === undefined || hang.length === 0) return false;
    const scope = this.options.faultResources;
    if (scope && !scope.includes(resource)) return false;
    return ids.some((id) => hang.includes(id));
  }

  /** The forbiddenResources fault: the key has no GET permission on this resource. */
  forbids(resource: string): boolean {
    return this.options.forbiddenResources?.includes(resource) ?? false;
  }

  /** The limit as a capping proxy or module leaves it. */
  capLimit(limit: { offset: number; count: number } | null): { offset: number; count: number } | null {
    const max = this.options.maxLimit;
    if (max === undefined) return limit;
    return limit ? { offset: limit.offset, count: Math.min(limit.count, max) } : { offset: 0, count: max };
  }

  /** The persistent swallowed SQL error of emptyListAfterId. */
  emptiesList(resource: string, filters: readonly Filter[]): boolean {
    const fault = this.options.emptyListAfterId;
    if (!fault || (fault.resource !== undefined && fault.resource !== resource)) return false;
    return filters.some(
      (f) => f.field === 'id' && ((f.op.op === 'gt' && literalNumber(f.op.value) >= fault.id) || (f.op.op === 'between' && literalNumber(f.op.lo) >= fault.id)),
    );
  }

  /** Hosting-level faults, drawn before PrestaShop sees the request. */
  draw(): InjectedFault {
    const { rate429 = 0, rate5xx = 0, timeoutRate = 0, retryAfterSeconds = 1 } = this.options;
    if (rate429 <= 0 && rate5xx <= 0 && timeoutRate <= 0) return { kind: 'none' };
    const u = this.rng.next();
    if (u < timeoutRate) return { kind: 'timeout' };
    if (u < timeoutRate + rate429) return { kind: 'status', status: 429, retryAfter: retryAfterSeconds };
    if (u < timeoutRate + rate429 + rate5xx) {
      const status = this.rng.pick([500, 502, 503, 504]);
      return status === 503 ? { kind: 'status', status, retryAfter: retryAfterSeconds } : { kind: 'status', status };
    }
    return { kind: 'none' };
  }

  takeMalformed(): boolean {
    const left = this.options.malformedJsonNext ?? 0;
    if (left <= 0) return false;
    this.options.malformedJsonNext = left - 1;
    return true;
  }

  takeSwallowedSql(): boolean {
    const left = this.options.swallowedSqlErrorNext ?? 0;
    if (left <= 0) return false;
    this.options.swallowedSqlErrorNext = left - 1;
    return true;
  }
}
