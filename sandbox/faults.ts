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
}

export type InjectedFault =
  | { kind: 'none' }
  | { kind: 'timeout' }
  | { kind: 'status'; status: number; retryAfter?: number };

/** Fault state; randomness comes from a seeded PRNG so a test sees the same sequence every run. */
export class Faults {
  private options: FaultOptions = {};
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = new Rng(seed, Stream.faults);
  }

  set(options: FaultOptions): void {
    this.options = { ...this.options, ...options };
    this.rng = new Rng(this.seed, Stream.faults);
  }

  clear(): void {
    this.options = {};
    this.rng = new Rng(this.seed, Stream.faults);
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

  isPoison(id: number): boolean {
    return this.options.poisonIds?.includes(id) ?? false;
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
