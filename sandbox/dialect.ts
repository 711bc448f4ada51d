import { WsError, type WsErrorItem } from './errors';
import type { Row } from './record';
import { arrayFilter, jsonRecord } from './render/json';
import type { RenderSpec } from './render/spec';
import { typeRecord81 } from './render/typed81';
import { resourceDefs, type ResourceDef, type ResourceName } from './resources';
import { PSWS_VERSION, type PsVersion } from './version';

/**
 * What PHP 8 reports when WebserviceRequest::getFilteredObjectList reads sql_join, sql_filter, sql_sort and
 * sql_limit from the `false` a failed manageFilters() returned (the 8.1.2 recordings carry exactly these four).
 */
export const PHP_WARNINGS_AFTER_BAD_LIST_PARAMETER: readonly WsErrorItem[] = [1333, 1334, 1335, 1336].map((line) => ({
  code: 3,
  message: `[PHP Warning #2] Trying to access array offset on value of type bool (/var/www/html/classes/webservice/WebserviceRequest.php, line ${line})`,
}));

/** Everything that differs between the 1.7 and the 8.1 webservice, in one place. */
export class Dialect {
  readonly psVersion: string;
  private readonly defs: Readonly<Record<ResourceName, ResourceDef>>;

  constructor(readonly version: PsVersion) {
    this.psVersion = PSWS_VERSION[version];
    this.defs = resourceDefs(version);
  }

  get is81(): boolean {
    return this.version === '8.1';
  }

  def(resource: ResourceName): ResourceDef {
    return this.defs[resource];
  }

  /** A record as the JSON output renders it: all strings in 1.7, typed field by field in 8.1. */
  jsonRecord(def: ResourceDef, row: Row, spec: RenderSpec): Record<string, unknown> {
    const record = jsonRecord(def, row, spec);
    return this.is81 ? typeRecord81(def.name, record) : record;
  }

  /** A single record fetched without display: 8.1 runs array_filter over it ("0", 0, "", null, false go). */
  singleRecord(record: Record<string, unknown>): Record<string, unknown> {
    return this.is81 ? arrayFilter(record) : record;
  }

  /**
   * A bad filter, display, sort or limit of a list (manageFilters): 400 in 1.7; in 8.1 the failed call is used
   * as an array right after, so PHP warnings follow the message and the answer is a 500.
   */
  listParameterError(error: WsError): WsError {
    if (!this.is81) return error;
    return new WsError(500, [...error.errors, ...PHP_WARNINGS_AFTER_BAD_LIST_PARAMETER]);
  }
}
