import { Errors, PHP_NOTICE, WsError, type WsErrorItem } from '../errors';
import type { Faults } from '../faults';
import { phpParams, phpInt, parseDisplay, parseLanguages, parseListQuery, type PhpParams } from '../query/parse';
import { selectIds } from '../query/execute';
import type { Row } from '../record';
import { arrayFilter, jsonErrors, jsonRecord, phpJson } from '../render/json';
import { fullSpec, type RenderSpec } from '../render/spec';
import { xmlDocument, xmlErrors, xmlIdList, xmlRecord, xmlRecordList, xmlRoot } from '../render/xml';
import { CORE_RESOURCE_LIST, isResourceName, RESOURCES, type ResourceDef, type ResourceName } from '../resources';
import type { Shop } from '../shop';
import type { ResourceTable } from '../table';
import { formatNaive, ZERO_DATETIME } from '../time';

export type Format = 'json' | 'xml';

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiResult {
  status: number;
  body: string;
  contentType: string | null;
  headers: Record<string, string>;
  /** Successful authentication: PSWS-Version is sent. */
  authenticated: boolean;
  /** Never answer (timeout fault). */
  hang?: boolean;
}

export interface ApiSettings {
  shop: () => Shop;
  faults: Faults;
  apiKey: string;
  version: '1.7' | '8';
  emptyListShape: 'bare' | 'keyed';
  seed: number;
  /** Shop root URL, e.g. http://127.0.0.1:PORT/ */
  shopUrl: () => string;
}

const WWW_AUTHENTICATE =
  'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."';

const DESCRIPTIONS: Record<ResourceName, string> = {
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

const LIGHT_FIELDS = new Set(['id', 'date_add', 'date_upd']);

/** display=[id,date_upd]-style lists (probes, id sweeps) need no record: the typed arrays hold those values. */
function isLight(spec: RenderSpec): boolean {
  return spec.fields !== null && spec.associations !== 'all' && spec.associations.size === 0 && [...spec.fields].every((f) => LIGHT_FIELDS.has(f));
}

function lightRow(table: ResourceTable, id: number): Row {
  const row: Row = { id };
  if (table.def.dates.has('date_add')) row.date_add = formatNaiveOrZero(table.dateAdd[id] ?? 0);
  if (table.def.dates.has('date_upd')) row.date_upd = formatNaiveOrZero(table.dateUpd[id] ?? 0);
  return row;
}

function formatNaiveOrZero(naive: number): string {
  return Number.isFinite(naive) ? formatNaive(naive) : ZERO_DATETIME;
}

/** 8.1 up to at least 9.2 crash on GET /api/?output_format=JSON (#34794): a PHP fatal error, not an errors body. */
function rootJsonCrash(): ApiResult {
  return {
    status: 500,
    body:
      '<br />\n<b>Fatal error</b>:  Uncaught TypeError: array_filter(): Argument #1 ($array) must be of type array, string given in ' +
      '/var/www/html/classes/webservice/WebserviceOutputJSON.php:234\n',
    contentType: 'text/html; charset=UTF-8',
    headers: {},
    authenticated: true,
  };
}

export class ApiHandler {
  constructor(private readonly s: ApiSettings) {}

  private apiUrl(): string {
    return `${this.s.shopUrl()}api/`;
  }

  private errorResult(format: Format, error: WsError, authenticated: boolean): ApiResult {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
    return {
      status: error.status,
      body: format === 'json' ? jsonErrors(error.errors) : xmlErrors(error.errors),
      contentType: format === 'json' ? 'application/json' : 'text/xml;charset=utf-8',
      headers,
      authenticated,
    };
  }

  private ok(format: Format, body: string): ApiResult {
    return { status: 200, body, contentType: format === 'json' ? 'application/json' : 'text/xml;charset=utf-8', headers: {}, authenticated: true };
  }

  handle(req: ApiRequest): ApiResult {
    const params = phpParams(req.url.searchParams);
    const format = outputFormat(req, params);

    const injected = this.s.faults.draw();
    if (injected.kind === 'timeout') return { status: 0, body: '', contentType: null, headers: {}, authenticated: false, hang: true };
    if (injected.kind === 'status') {
      const headers: Record<string, string> = injected.retryAfter !== undefined ? { 'Retry-After': String(injected.retryAfter) } : {};
      const text = injected.status === 429 ? 'Too Many Requests' : 'Service temporarily unavailable';
      return {
        status: injected.status,
        body: `<html><head><title>${injected.status} ${text}</title></head><body><h1>${text}</h1></body></html>\n`,
        contentType: 'text/html',
        headers,
        authenticated: false,
      };
    }

    const key = requestKey(req, params);
    if (key === undefined) {
      return { status: 401, body: '401 Unauthorized', contentType: 'text/html; charset=UTF-8', headers: { 'WWW-Authenticate': WWW_AUTHENTICATE }, authenticated: false };
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
    const segments = req.url.pathname.replace(/^\/api\/?/, '').split('/').filter((s) => s !== '');
    const resource = segments[0];
    if (resource === undefined) {
      if (format === 'json' && this.s.version === '8') return rootJsonCrash();
      const names = (Object.keys(RESOURCES) as ResourceName[]).sort();
      const body = xmlRoot(names.map((name) => ({ name, description: DESCRIPTIONS[name] })), this.apiUrl(), 'PHC Sandbox');
      return this.ok('xml', body);
    }
    if (!isResourceName(resource)) {
      if ((CORE_RESOURCE_LIST as readonly string[]).includes(resource)) throw Errors.resourceNotAllowed(resource);
      throw Errors.unknownResource(resource, CORE_RESOURCE_LIST);
    }
    // The dispatcher lets ?ps_method= override the HTTP method.
    const method = params.get('ps_method') ?? req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      if (['POST', 'PUT', 'DELETE', 'PATCH'].includes(method)) throw Errors.methodNotAllowed(method, resource);
      throw Errors.methodInvalid(method);
    }
    const def = RESOURCES[resource];
    if (segments[1] !== undefined) return this.single(def, phpInt(segments[1]), params, format);
    return this.list(def, params, format);
  }

  private maybePoison(def: ResourceDef, rows: readonly Row[], full: boolean): void {
    if (!full || !['customers', 'products', 'orders'].includes(def.name)) return;
    if (rows.some((row) => this.s.faults.isPoison(row.id))) throw new WsError(500, [PHP_NOTICE]);
  }

  private emptyList(def: ResourceDef, format: Format): ApiResult {
    if (format === 'xml') return this.ok(format, xmlDocument(`<${def.name}>\n</${def.name}>\n`));
    return this.ok(format, this.s.emptyListShape === 'keyed' ? phpJson({ [def.name]: [] }) : '[]');
  }

  private list(def: ResourceDef, params: PhpParams, format: Format): ApiResult {
    const shop = this.s.shop();
    const query = parseListQuery(def, params, shop.activeLanguageIds());
    if (this.s.faults.takeSwallowedSql()) return this.emptyList(def, format);
    const languages = query.render?.languages ?? shop.activeLanguageIds();
    const ids = selectIds(shop.table(def.name), {
      filters: query.filters,
      sort: query.sort,
      limit: query.limit,
      languages,
      seed: this.s.seed,
    });
    if (ids.length === 0) return this.emptyList(def, format);
    if (!query.render) {
      if (format === 'xml') return this.ok(format, xmlIdList(def, ids, this.apiUrl()));
      return this.ok(format, phpJson({ [def.name]: ids.map((id) => ({ id })) }));
    }
    const table = shop.table(def.name);
    const light = isLight(query.render);
    const rows = ids.map((id) => (light ? lightRow(table, id) : table.get(id))).filter((row): row is Row => row !== undefined);
    this.maybePoison(def, rows, query.render.fields === null);
    return this.ok(format, this.renderRows(def, rows, query.render, format));
  }

  private renderRows(def: ResourceDef, rows: readonly Row[], spec: RenderSpec, format: Format): string {
    if (format === 'xml') return xmlRecordList(def, rows, spec, this.apiUrl());
    return phpJson({ [def.name]: rows.map((row) => jsonRecord(def, row, spec)) });
  }

  private single(def: ResourceDef, id: number, params: PhpParams, format: Format): ApiResult {
    const shop = this.s.shop();
    const languages = parseLanguages(params.get('language'), shop.activeLanguageIds());
    const display = params.get('display');
    const spec = parseDisplay(def, display, languages);
    const row = shop.table(def.name).get(id);
    if (!row) return { status: 404, body: '', contentType: null, headers: {}, authenticated: true };
    this.maybePoison(def, [row], spec === null || spec.fields === null);
    if (spec) return this.ok(format, this.renderRows(def, [row], spec, format));
    const full = fullSpec(languages);
    if (format === 'xml') return this.ok(format, xmlDocument(xmlRecord(def, row, full, this.apiUrl())));
    const record = jsonRecord(def, row, full);
    return this.ok(format, phpJson({ [def.singular]: this.s.version === '8' ? arrayFilter(record) : record }));
  }
}

export type { WsErrorItem };
