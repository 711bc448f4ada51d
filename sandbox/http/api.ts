import type { Dialect } from '../dialect';
import { Errors, WsError, type WsErrorItem } from '../errors';
import type { Faults } from '../faults';
import { phpParams, phpInt, type PhpParams } from '../query/parse';
import { jsonErrors } from '../render/json';
import { xmlErrors, xmlRoot } from '../render/xml';
import { CORE_RESOURCE_LIST, isResourceName, type ResourceName } from '../resources';
import type { Shop } from '../shop';
import { ResourceReader, type Format } from './read';

export type { Format };

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiResult {
  status: number;
  body: string;
  /** null: no Content-Type header at all; '' an empty one (8.1.2's 404). */
  contentType: string | null;
  headers: Record<string, string>;
  /** Successful authentication: PSWS-Version is sent. */
  authenticated: boolean;
  /** Answered by PHP itself, not the webservice (8.1's no-key 401, the JSON root crash): none of its headers. */
  bare?: boolean;
  /** Never answer (a timeout or a hanging record). */
  hang?: boolean;
  /** Records rendered with display=full (they cost latencyPerRecordMs each). */
  fullRecords?: number;
}

export interface ApiSettings {
  shop: () => Shop;
  faults: Faults;
  apiKey: string;
  dialect: Dialect;
  emptyListShape: 'bare' | 'keyed';
  seed: number;
  /** Shop root URL, e.g. http://127.0.0.1:PORT/ */
  shopUrl: () => string;
}

const WWW_AUTHENTICATE =
  'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."';

/** The descriptions WebserviceRequest::getResources gives (8.1.2). */
const DESCRIPTIONS: Record<ResourceName, string> = {
  addresses: 'The Customer, Brand and Customer addresses',
  carriers: 'The Carriers',
  categories: 'The product categories',
  combinations: 'The product combinations',
  countries: 'The countries',
  manufacturers: 'The product brands',
  order_cart_rules: 'The Order cart rules',
  order_details: 'Details of an order',
  order_histories: 'The Order histories',
  order_payments: 'The Order payments',
  order_slip: 'The Order slips',
  stock_availables: 'Available quantities',
  configurations: 'Shop configuration',
  currencies: 'The currencies',
  customers: "The e-shop's customers",
  languages: "Shop languages",
  order_states: 'The Order statuses',
  orders: 'The Customers orders',
  products: 'The products',
};

function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** WebserviceRequest::getOutputObject: Io-Format, Output-Format, output_format, io_format; only 'JSON' is JSON. */
export function outputFormat(req: ApiRequest, params: PhpParams): Format {
  const chosen = header(req, 'io-format') ?? header(req, 'output-format') ?? params.get('output_format') ?? params.get('io_format');
  return chosen === 'JSON' ? 'json' : 'xml';
}

/** The dispatcher's key: the Basic-auth user name, else ?ws_key=, else none. */
function requestKey(req: ApiRequest, params: PhpParams): string | undefined {
  const auth = header(req, 'authorization');
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(0, colon) : decoded;
  }
  return params.get('ws_key');
}

/**
 * 8.1 up to at least 9.2 crash on GET /api/?output_format=JSON (#34794). Recorded on 8.1.2: PHP's own 500 with an
 * empty body and a text/html type, none of the webservice's headers.
 */
const ROOT_JSON_CRASH: ApiResult = { status: 500, body: '', contentType: 'text/html; charset=utf-8', headers: {}, authenticated: false, bare: true };

export class ApiHandler {
  private readonly reader: ResourceReader;

  constructor(private readonly s: ApiSettings) {
    this.reader = new ResourceReader({
      shop: s.shop,
      faults: s.faults,
      dialect: s.dialect,
      emptyListShape: s.emptyListShape,
      seed: s.seed,
      apiUrl: () => this.apiUrl(),
    });
  }

  private apiUrl(): string {
    return `${this.s.shopUrl()}api/`;
  }

  private errorResult(format: Format, error: WsError, authenticated: boolean): ApiResult {
    const headers: Record<string, string> = {};
    // 8.1.2 asks for credentials only when the key itself failed, not for a resource the key may not read (26).
    if (error.status === 401 && !(this.s.dialect.is81 && authenticated)) headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
    return {
      status: error.status,
      body: format === 'json' ? jsonErrors(error.errors) : xmlErrors(error.errors),
      contentType: format === 'json' ? 'application/json' : 'text/xml;charset=utf-8',
      headers,
      authenticated,
    };
  }

  /** One API request, once it holds a PHP worker (hosting faults are drawn before, by the server). */
  handle(req: ApiRequest): ApiResult {
    const params = phpParams(req.url.searchParams);
    const format = outputFormat(req, params);
    const key = requestKey(req, params);
    if (key === undefined) {
      const headers = { 'WWW-Authenticate': WWW_AUTHENTICATE };
      // The dispatcher answers before PrestaShop starts; 8.1.2 shows PHP's own headers only.
      if (this.s.dialect.is81) return { status: 401, body: '401 Unauthorized', contentType: 'text/html; charset=utf-8', headers, authenticated: false, bare: true };
      return { status: 401, body: '401 Unauthorized', contentType: 'text/html; charset=UTF-8', headers, authenticated: false };
    }
    try {
      if (this.s.faults.disabled) throw Errors.disabled();
      if (key.length !== 32) throw Errors.keyFormat();
      if (key !== this.s.apiKey) throw Errors.keyUnknown();
    } catch (error) {
      if (error instanceof WsError) return this.errorResult(format, error, false);
      throw error;
    }
    try {
      return this.authenticated(req, params, format);
    } catch (error) {
      if (error instanceof WsError) return this.errorResult(format, error, true);
      throw error;
    }
  }

  private authenticated(req: ApiRequest, params: PhpParams, format: Format): ApiResult {
    const { dialect } = this.s;
    const segments = req.url.pathname.replace(/^\/api\/?/, '').split('/').filter((s) => s !== '');
    const resource = segments[0];
    if (resource === undefined) {
      if (format === 'json' && dialect.is81) return ROOT_JSON_CRASH;
      const names = (Object.keys(DESCRIPTIONS) as ResourceName[]).filter((name) => !this.s.faults.forbids(name)).sort();
      const body = xmlRoot(names.map((name) => ({ name, description: DESCRIPTIONS[name] })), this.apiUrl(), 'PHC Sandbox');
      return { status: 200, body, contentType: 'text/xml;charset=utf-8', headers: {}, authenticated: true };
    }
    if (!isResourceName(resource)) {
      if ((CORE_RESOURCE_LIST as readonly string[]).includes(resource)) throw Errors.resourceNotAllowed(resource);
      throw Errors.unknownResource(resource, CORE_RESOURCE_LIST);
    }
    if (this.s.faults.forbids(resource)) throw Errors.resourceNotAllowed(resource);
    // The dispatcher lets ?ps_method= override the HTTP method.
    const method = params.get('ps_method') ?? req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      if (['POST', 'PUT', 'DELETE', 'PATCH'].includes(method)) throw Errors.methodNotAllowed(method, resource);
      throw Errors.methodInvalid(method);
    }
    const def = dialect.def(resource);
    if (segments[1] !== undefined) return this.reader.single(def, phpInt(segments[1]), params, format);
    return this.reader.list(def, params, format);
  }
}

export type { WsErrorItem };
