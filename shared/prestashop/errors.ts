/** One error type for everything the webservice client can fail on. Never carries the key. */

export interface PrestaShopErrorItem {
  code: number | null;
  message: string;
}

export type PrestaShopFailure =
  | 'http' // a non-success status, or an `errors` envelope
  | 'timeout'
  | 'network'
  | 'malformed' // a body that is not the JSON we asked for
  | 'content-type'
  | 'invalid' // a request rejected client-side, or a record that fails validation
  | 'request' // the shop refuses the request itself (unknown field, filter, sort or display; missing date=1)
  | 'incomplete' // a listing the shop cut short: it ends below an id the shop still holds
  | 'aborted'; // the caller's signal

export interface PrestaShopErrorDetails {
  kind: PrestaShopFailure;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  resource: string;
  /** The request URL without credentials. */
  url: string;
  errors?: PrestaShopErrorItem[];
  retryable: boolean;
  /** Retry-After in milliseconds, when the shop sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class PrestaShopError extends Error {
  readonly kind: PrestaShopFailure;
  readonly status: number | null;
  readonly resource: string;
  readonly url: string;
  readonly errors: PrestaShopErrorItem[];
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: PrestaShopErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PrestaShopError';
    this.kind = details.kind;
    this.status = details.status;
    this.resource = details.resource;
    this.url = details.url;
    this.errors = details.errors ?? [];
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** PrestaShop error codes, in the order the shop listed them. */
  get codes(): number[] {
    return this.errors.flatMap((e) => (e.code === null ? [] : [e.code]));
  }
}

export function isPrestaShopError(error: unknown): error is PrestaShopError {
  return error instanceof PrestaShopError;
}

/** `{"errors":[{"code":n,"message":"..."}]}`; null when the value is not that envelope. */
export function errorsFromJson(body: unknown): PrestaShopErrorItem[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('errors' in body)) return null;
  const raw = (body).errors;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as { code?: unknown; message?: unknown };
    const code = typeof entry.code === 'number' ? entry.code : typeof entry.code === 'string' && /^\d+$/.test(entry.code) ? Number(entry.code) : null;
    const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(item);
    return { code, message };
  });
}

const XML_ERROR = /<error>([\s\S]*?)<\/error>/g;

function xmlText(block: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(block);
  if (!match) return null;
  const inner = (match[1] ?? '').trim();
  const cdata = /^<!\[CDATA\[([\s\S]*?)\]\]>$/.exec(inner);
  return (cdata ? (cdata[1] ?? '') : inner).trim();
}

/** The `<errors>` block of an XML body (CDATA code and message); null when there is none. */
export function errorsFromXml(body: string): PrestaShopErrorItem[] | null {
  if (!/<errors>/.test(body)) return null;
  const items: PrestaShopErrorItem[] = [];
  for (const match of body.matchAll(XML_ERROR)) {
    const block = match[1] ?? '';
    const code = xmlText(block, 'code');
    items.push({ code: code !== null && /^\d+$/.test(code) ? Number(code) : null, message: xmlText(block, 'message') ?? '' });
  }
  return items;
}

/**
 * Error codes by which the shop says the request itself is wrong, whatever the data (docs/prestashop-webservice.md
 * §3): an unknown resource (27), filter (32), empty filter value (33), filter on a getter (34), display field (35,
 * 36), sort (37, 38), limit (39) or language (78-81). PrestaShop 8.1 answers them with 500, 1.7 with 400. Retrying or
 * splitting such a request cannot help.
 */
const REQUEST_ERROR_CODES = new Set([27, 32, 33, 34, 35, 36, 37, 38, 39, 78, 79, 80, 81]);

export function isRequestRefusal(errors: readonly PrestaShopErrorItem[]): boolean {
  return errors.some((e) => e.code !== null && REQUEST_ERROR_CODES.has(e.code));
}

/** PHP notices and warnings the webservice adds to its errors ("[PHP Warning #2] ..."). */
function isPhpMessage(item: PrestaShopErrorItem): boolean {
  return /^\[PHP (Warning|Notice|Deprecated|Error)/i.test(item.message);
}

/**
 * The errors in one line. PHP warnings that follow a real error (8.1 adds four to every bad-parameter answer) are
 * counted, not quoted; a list of PHP messages alone shows the first.
 */
export function describeErrors(errors: readonly PrestaShopErrorItem[]): string {
  const text = (e: PrestaShopErrorItem): string => (e.code === null ? e.message : `#${e.code} ${e.message}`);
  const real = errors.filter((e) => !isPhpMessage(e));
  const php = errors.length - real.length;
  if (real.length > 0) return `${real.map(text).join('; ')}${php > 0 ? ` (and ${php} PHP warning${php === 1 ? '' : 's'})` : ''}`;
  const [first] = errors;
  if (!first) return '';
  return `${text(first)}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}
