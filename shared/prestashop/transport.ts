import { setTimeout as sleep } from 'node:timers/promises';
import { Metric } from '../telemetry/names';
import { redact, registerSecret } from '../telemetry/redact';
import type { Logger, Telemetry } from '../telemetry/types';
import { describeErrors, errorsFromJson, isRequestRefusal, PrestaShopError } from './errors';
import type { RequestGate, RequestOutcome } from './requestGate';
import { bodyErrors, isRetryableNetwork, mediaType, networkMessage, parseRetryAfter, retryReason } from './responseReading';

export { parseRetryAfter } from './responseReading';

/**
 * One GET against the webservice: Basic auth with the key as user name, a timeout on every attempt, and retries
 * with exponential backoff and full jitter on 429, 5xx, timeouts, connection resets and malformed JSON.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has gone since the first attempt (Retry-After included). */
  maxTotalMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000, maxTotalMs: 120_000 };

/** A 200 whose body is not JSON is retried at most this many times (a truncated body can be transient). */
const MAX_MALFORMED_RETRIES = 2;


/** PrestaShop code 22: PS_WEBSERVICE is off. A setting, not an outage: fail fast. */
const WEBSERVICE_DISABLED = 22;

export interface TransportOptions {
  baseUrl: string;
  apiKey: () => Promise<string>;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  fetch: typeof fetch;
  log: Logger;
  telemetry: Telemetry;
  random: () => number;
}

export interface RequestSpec {
  /** Resource name for errors and telemetry. */
  resource: string;
  /** Path under /api/, e.g. 'orders' or 'orders/5'. */
  path: string;
  params: readonly (readonly [string, string])[];
  signal?: AbortSignal;
  /** False while bisecting a failing page: a 500 there means "split further", not "try again". */
  retry500?: boolean;
  /** False for a page of several records: a timeout there means "split", and only a single record gets retried. */
  retryTimeouts?: boolean;
  /** The reader's politeness gate: each attempt takes a slot and reports how the shop coped. */
  gate?: RequestGate;
  /** Answer a 404 with an empty body as { status: 404, body: null } instead of failing. */
  allowEmpty404?: boolean;
}

export interface ShopResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON; null for an allowed empty 404. */
  body: unknown;
}

export interface Transport {
  get(spec: RequestSpec): Promise<ShopResponse>;
  /** The URL a spec resolves to, without credentials (for messages). */
  describeUrl(spec: Pick<RequestSpec, 'path' | 'params'>): string;
}

export function apiRoot(baseUrl: string): URL {
  const root = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (root.username !== '' || root.password !== '') throw new Error('PrestaShop base URL must not carry credentials: the key is sent as Basic auth');
  if (root.search !== '' || root.hash !== '') throw new Error('PrestaShop base URL must be the shop root, without query or fragment');
  return new URL('api/', root);
}

/** A URL safe to show: no user info, no ws_key, parameters decoded for reading. */
export function sanitizeUrl(url: URL): string {
  const params = [...url.searchParams].filter(([name]) => name.toLowerCase() !== 'ws_key');
  const query = params.map(([name, value]) => `${name}=${value}`).join('&');
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

export function createTransport(options: TransportOptions): Transport {
  const root = apiRoot(options.baseUrl);
  const { retry, log, telemetry } = options;

  function buildUrl(spec: Pick<RequestSpec, 'path' | 'params'>): URL {
    const url = new URL(spec.path, root);
    for (const [name, value] of spec.params) url.searchParams.append(name, value);
    return url;
  }


  async function once(spec: RequestSpec, url: URL, safeUrl: string, key: string): Promise<ShopResponse> {
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const base = { resource: spec.resource, url: safeUrl };
    const started = performance.now();
    const record = (status: number | null, outcome: string): void =>
      telemetry.metric(Metric.prestashopRequestMs, performance.now() - started, {
        resource: spec.resource,
        httpStatus: status === null ? 'none' : String(status),
        outcome,
      });

    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, {
        method: 'GET',
        headers: { Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, Accept: 'application/json' },
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (spec.signal?.aborted) {
        record(null, 'aborted');
        throw new PrestaShopError(`PrestaShop ${spec.resource}: request aborted (${safeUrl})`, { ...base, kind: 'aborted', status: null, retryable: false, cause: spec.signal.reason });
      }
      if (timeout.aborted) {
        record(null, 'timeout');
        throw new PrestaShopError(`PrestaShop ${spec.resource}: no answer within ${options.requestTimeoutMs} ms (${safeUrl})`, { ...base, kind: 'timeout', status: null, retryable: true });
      }
      record(null, 'network');
      const detail = redact(networkMessage(error));
      throw new PrestaShopError(`PrestaShop ${spec.resource}: connection failed: ${detail} (${safeUrl})`, {
        ...base,
        kind: 'network',
        status: null,
        retryable: isRetryableNetwork(error),
        cause: new Error(detail),
      });
    }

    const status = response.status;
    const type = mediaType(response.headers);
    if (status >= 200 && status < 300) {
      if (type !== 'application/json') {
        record(status, 'content_type');
        const errors = bodyErrors(type, redact(text));
        const what = type === '' ? 'no content type' : type;
        throw new PrestaShopError(
          `PrestaShop ${spec.resource}: expected application/json, got ${what} (HTTP ${status}; is the /api/ route rewritten to the webservice and output_format=JSON honoured?)${errors.length > 0 ? `: ${describeErrors(errors)}` : ''} (${safeUrl})`,
          { ...base, kind: 'content-type', status, errors, retryable: false },
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        record(status, 'malformed');
        throw new PrestaShopError(`PrestaShop ${spec.resource}: HTTP ${status} with a body that is not valid JSON (${text.length} bytes) (${safeUrl})`, {
          ...base,
          kind: 'malformed',
          status,
          retryable: true,
          cause: error,
        });
      }
      const errors = errorsFromJson(body);
      if (errors) {
        record(status, 'error');
        const redacted = errors.map((e) => ({ code: e.code, message: redact(e.message) }));
        throw new PrestaShopError(`PrestaShop ${spec.resource}: HTTP ${status} carrying errors: ${describeErrors(redacted)} (${safeUrl})`, { ...base, kind: 'http', status, errors: redacted, retryable: false });
      }
      record(status, 'ok');
      return { status, headers: response.headers, body };
    }

    if (status === 404 && spec.allowEmpty404 && text.trim() === '') {
      record(status, 'not_found');
      return { status, headers: response.headers, body: null };
    }
    const errors = bodyErrors(type, redact(text));
    if (isRequestRefusal(errors)) {
      record(status, 'refused');
      throw new PrestaShopError(
        `PrestaShop ${spec.resource}: the shop refuses the request (HTTP ${status}): ${describeErrors(errors)}. ` +
          'A field, filter or sort this client relies on is missing: a module may have removed it, or this PrestaShop version lacks it ' +
          `(${safeUrl})`,
        { ...base, kind: 'request', status, errors, retryable: false },
      );
    }
    const disabled = status === 503 && errors.some((e) => e.code === WEBSERVICE_DISABLED);
    const retryable = status === 429 || (status >= 500 && !disabled);
    record(status, 'error');
    const hint = disabled ? ' (the webservice is switched off in the shop: enable it under Advanced Parameters > Webservice)' : status === 401 ? ' (check the webservice key and its permissions)' : '';
    throw new PrestaShopError(`PrestaShop ${spec.resource}: HTTP ${status}${errors.length > 0 ? ` ${describeErrors(errors)}` : ''}${hint} (${safeUrl})`, {
      ...base,
      kind: 'http',
      status,
      errors,
      retryable,
      retryAfterMs: retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
    });
  }

  async function get(spec: RequestSpec): Promise<ShopResponse> {
    const url = buildUrl(spec);
    const safeUrl = sanitizeUrl(url);
    const key = await options.apiKey();
    // The key is the Basic-auth user: registered, so the one redactor masks it in anything the shop echoes back.
    registerSecret(key);
    if (key === '' || key.includes(':') || /\s/.test(key)) {
      throw new PrestaShopError(`PrestaShop ${spec.resource}: the webservice key is empty or holds ':' or spaces`, { kind: 'invalid', status: null, resource: spec.resource, url: safeUrl, retryable: false });
    }
    const started = performance.now();
    let malformed = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await gated(spec, () => once(spec, url, safeUrl, key));
      } catch (error) {
        if (!(error instanceof PrestaShopError)) throw error;
        if (error.kind === 'malformed') malformed++;
        if (error.retryAfterMs !== undefined) spec.gate?.pause(error.retryAfterMs);
        const wanted =
          error.retryable &&
          !(spec.retry500 === false && error.status === 500) &&
          !(spec.retryTimeouts === false && error.kind === 'timeout') &&
          malformed <= MAX_MALFORMED_RETRIES;
        if (!wanted) throw error;
        if (attempt >= retry.maxAttempts) throw giveUp(error, `gave up after ${attempt} attempts`);
        const delay = error.retryAfterMs ?? Math.floor(options.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
        const elapsed = performance.now() - started;
        if (elapsed + delay > retry.maxTotalMs) throw giveUp(error, `gave up after ${attempt} attempts: waiting ${delay} ms more would pass the ${retry.maxTotalMs} ms retry budget`);
        const reason = retryReason(error);
        telemetry.metric(Metric.prestashopRetries, 1, { resource: spec.resource, reason });
        log.warn('PrestaShop request failed, retrying', { resource: spec.resource, url: safeUrl, status: error.status, reason, attempt, delayMs: delay });
        try {
          await sleep(delay, undefined, spec.signal ? { signal: spec.signal } : undefined);
        } catch (abort) {
          throw new PrestaShopError(`PrestaShop ${spec.resource}: request aborted while waiting to retry (${safeUrl})`, { kind: 'aborted', status: null, resource: spec.resource, url: safeUrl, retryable: false, cause: abort });
        }
      }
    }
  }

  return { get, describeUrl: (spec) => sanitizeUrl(buildUrl(spec)) };
}

/** One attempt inside the spec's gate (when it has one), reporting how the shop coped. */
async function gated<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
  if (!spec.gate) return attempt();
  let release: (outcome: RequestOutcome) => void;
  try {
    release = await spec.gate.acquire(spec.signal);
  } catch (error) {
    throw new PrestaShopError(`PrestaShop ${spec.resource}: request aborted while waiting for the shop`, {
      kind: 'aborted', status: null, resource: spec.resource, url: spec.path, retryable: false, cause: error,
    });
  }
  try {
    const result = await attempt();
    release('ok');
    return result;
  } catch (error) {
    release(outcomeOf(error));
    throw error;
  }
}

function outcomeOf(error: unknown): RequestOutcome {
  if (!(error instanceof PrestaShopError)) return 'error';
  if (error.kind === 'timeout') return 'timeout';
  if (error.status === 429 || error.status === 503) return 'throttled';
  return 'error';
}

function giveUp(error: PrestaShopError, why: string): PrestaShopError {
  return new PrestaShopError(`${error.message}; ${why}`, {
    kind: error.kind,
    status: error.status,
    resource: error.resource,
    url: error.url,
    errors: error.errors,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
