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

export function describeErrors(errors: readonly PrestaShopErrorItem[]): string {
  return errors.map((e) => (e.code === null ? e.message : `#${e.code} ${e.message}`)).join('; ');
}
