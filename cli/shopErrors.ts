import { RESOURCES, type ShopResource } from '../shared/prestashop/resources';
import { field, messageOf, oneLine } from './errorChain';
import { ExitCode } from './exitCodes';
import type { KnownLine } from './postgresErrors';

/** Every resource phc reads, so every one the webservice key needs GET permission on. */
export const KEY_RESOURCES: readonly ShopResource[] = Object.keys(RESOURCES) as ShopResource[];

function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** The shop root of a request URL (everything before /api/), for messages. */
function shopRoot(url: unknown): string {
  if (typeof url !== 'string' || !URL.canParse(url)) return 'the shop';
  const parsed = new URL(url);
  const root = parsed.pathname.replace(/\/api(\/.*)?$/, '');
  return `${parsed.origin}${root}`;
}

function apiPath(url: unknown): string {
  if (typeof url !== 'string' || !URL.canParse(url)) return '/api/';
  return new URL(url).pathname;
}

/** The line for an error of the PrestaShop client, or undefined when it is not one. */
export function shopLine(error: unknown, errors: unknown[]): KnownLine | undefined {
  if (field(error, 'name') !== 'PrestaShopError') return undefined;
  const kind = field(error, 'kind');
  const status = field(error, 'status');
  const url = field(error, 'url');
  const codes = field(error, 'errors');
  const fromWebservice = Array.isArray(codes) && codes.some((c) => typeof field(c, 'code') === 'number');
  const failure = (line: string): KnownLine => ({ line, exitCode: ExitCode.failure });
  if (kind === 'network' || kind === 'timeout') {
    const origin = typeof url === 'string' && URL.canParse(url) ? ` at ${new URL(url).origin}` : '';
    const why = kind === 'timeout' ? 'no answer in time' : messageOf(errors[errors.length - 1]);
    return failure(`Cannot reach the shop${origin} (PRESTASHOP_BASE_URL): ${oneLine(why)}. Check the URL and that the shop answers on /api/.`);
  }
  if (status === 401 || status === 403) {
    return failure(
      `The shop refused the webservice key (HTTP ${String(status)}): check PRESTASHOP_API_KEY (or the Key Vault secret), that the key is active, ` +
        `and that it has GET permission on ${listed(KEY_RESOURCES)} (Advanced Parameters > Webservice).`,
    );
  }
  if (status === 503) {
    return failure(`The shop's webservice is switched off (HTTP 503): enable it in PrestaShop (Advanced Parameters > Webservice), then rerun.`);
  }
  // A 404 without webservice error codes, or a page that is not JSON: something other than the webservice answered.
  if ((status === 404 && !fromWebservice) || kind === 'content-type') {
    const what = status === 404 ? `HTTP 404 for ${apiPath(url)}` : `it answered ${apiPath(url)} with a page that is not the webservice's JSON`;
    return failure(
      `PRESTASHOP_BASE_URL (${shopRoot(url)}) does not look like a shop with the webservice at /api/ (${what}): check the URL, ` +
        'and that the rewrite rule sending /api/ to webservice/dispatcher.php is in place (the .htaccess PrestaShop generates, or its nginx equivalent).',
    );
  }
  return undefined;
}
