import type { Dialect } from '../dialect';
import { PHP_NOTICE, WsError } from '../errors';
import type { Faults } from '../faults';
import { parseDisplay, parseLanguages, parseListQuery, type ListQuery, type PhpParams } from '../query/parse';
import { selectIds } from '../query/execute';
import type { Row } from '../record';
import { phpJson } from '../render/json';
import { fullSpec, type RenderSpec } from '../render/spec';
import { xmlDocument, xmlIdList, xmlRecord, xmlRecordList } from '../render/xml';
import { listKeyOf, type ResourceDef } from '../resources';
import type { Shop } from '../shop';
import type { Table } from '../table';
import { formatNaive, ZERO_DATETIME } from '../time';
import type { ApiResult } from './api';

export type Format = 'json' | 'xml';

export interface ReadSettings {
  shop: () => Shop;
  faults: Faults;
  dialect: Dialect;
  emptyListShape: 'bare' | 'keyed';
  seed: number;
  /** The API root URL, e.g. http://127.0.0.1:PORT/api/ */
  apiUrl: () => string;
}

const LIGHT_FIELDS = new Set(['id', 'date_add', 'date_upd']);

/** display=[id,date_upd]-style lists (probes, id sweeps) need no record: the typed arrays hold those values. */
function isLight(spec: RenderSpec): boolean {
  return spec.fields !== null && spec.associations !== 'all' && spec.associations.size === 0 && [...spec.fields].every((f) => LIGHT_FIELDS.has(f));
}

function formatNaiveOrZero(naive: number): string {
  return Number.isFinite(naive) ? formatNaive(naive) : ZERO_DATETIME;
}

function lightRow(table: Table, id: number): Row {
  const row: Row = { id };
  if (table.def.dates.has('date_add')) row.date_add = formatNaiveOrZero(table.dateAddOf(id));
  if (table.def.dates.has('date_upd')) row.date_upd = formatNaiveOrZero(table.dateUpdOf(id));
  return row;
}

const HANG: ApiResult = { status: 0, body: '', contentType: null, headers: {}, authenticated: true, hang: true };

/** GET on a resource: a list (WebserviceRequest::getFilteredObjectList) or one record (getFilteredObjectDetails). */
export class ResourceReader {
  constructor(private readonly s: ReadSettings) {}

  private ok(format: Format, body: string, fullRecords = 0): ApiResult {
    const contentType = format === 'json' ? 'application/json' : 'text/xml;charset=utf-8';
    return { status: 200, body, contentType, headers: {}, authenticated: true, fullRecords };
  }

  private maybePoison(def: ResourceDef, rows: readonly Row[], full: boolean): void {
    if (!full || !this.s.faults.poisons(def.name)) return;
    if (rows.some((row) => this.s.faults.isPoison(row.id))) throw new WsError(500, [PHP_NOTICE]);
  }

  private emptyList(def: ResourceDef, format: Format): ApiResult {
    const key = listKeyOf(def);
    if (format === 'xml') return this.ok(format, xmlDocument(`<${key}>\n</${key}>\n`));
    return this.ok(format, this.s.emptyListShape === 'keyed' ? phpJson({ [key]: [] }) : '[]');
  }

  private renderRows(def: ResourceDef, rows: readonly Row[], spec: RenderSpec, format: Format): string {
    if (format === 'xml') return xmlRecordList(def, rows, spec, this.s.apiUrl());
    return phpJson({ [listKeyOf(def)]: rows.map((row) => this.s.dialect.jsonRecord(def, row, spec)) });
  }

  /** The list parameters; a bad one is a 400 in 1.7 and a 500 with PHP warnings in 8.1. */
  private listQuery(def: ResourceDef, params: PhpParams, languages: readonly number[]): ListQuery {
    const { dialect } = this.s;
    try {
      return parseListQuery(def, params, languages, dialect.is81);
    } catch (error) {
      throw error instanceof WsError ? dialect.listParameterError(error) : error;
    }
  }

  list(def: ResourceDef, params: PhpParams, format: Format): ApiResult {
    const { faults } = this.s;
    const shop = this.s.shop();
    const languages = parseLanguages(params.get('language'), shop.activeLanguageIds());
    const query = this.listQuery(def, params, languages);
    if (faults.takeSwallowedSql() || faults.emptiesList(def.name, query.filters)) return this.emptyList(def, format);
    const table = shop.table(def.name);
    const ids = selectIds(table, {
      filters: query.filters,
      sort: faults.ignoreSort ? null : query.sort,
      limit: faults.capLimit(query.limit),
      languages,
      seed: this.s.seed,
    });
    if (ids.length === 0) return this.emptyList(def, format);
    if (!query.render) {
      if (format === 'xml') return this.ok(format, xmlIdList(def, ids, this.s.apiUrl()));
      return this.ok(format, phpJson({ [listKeyOf(def)]: ids.map((id) => ({ id })) }));
    }
    const full = query.render.fields === null;
    if (full && faults.hangsOn(def.name, ids)) return HANG;
    const light = isLight(query.render);
    const rows = ids.map((id) => (light ? lightRow(table, id) : table.get(id))).filter((row): row is Row => row !== undefined);
    this.maybePoison(def, rows, full);
    return this.ok(format, this.renderRows(def, rows, query.render, format), full ? rows.length : 0);
  }

  single(def: ResourceDef, id: number, params: PhpParams, format: Format): ApiResult {
    const { faults, dialect } = this.s;
    const shop = this.s.shop();
    const languages = parseLanguages(params.get('language'), shop.activeLanguageIds());
    const spec = parseDisplay(def, params.get('display'), languages);
    const row = shop.table(def.name).get(id);
    // 8.1.2 sends an empty Content-Type header; 1.7 none at all.
    if (!row) return { status: 404, body: '', contentType: dialect.is81 ? '' : null, headers: {}, authenticated: true };
    const full = spec === null || spec.fields === null;
    if (full && faults.hangsOn(def.name, [id])) return HANG;
    this.maybePoison(def, [row], full);
    if (spec) return this.ok(format, this.renderRows(def, [row], spec, format), full ? 1 : 0);
    const all = fullSpec(languages);
    if (format === 'xml') return this.ok(format, xmlDocument(xmlRecord(def, row, all, this.s.apiUrl())), 1);
    const record = dialect.singleRecord(dialect.jsonRecord(def, row, all));
    return this.ok(format, phpJson({ [def.singular]: record }), 1);
  }
}
