import type { ResourceDef } from '../resources';
import { isTranslated, type Row } from '../record';
import type { RenderSpec } from './spec';

/** PHP's json_encode(..., JSON_UNESCAPED_UNICODE): compact, raw UTF-8, '/' escaped, U+2028/2029 escaped. */
export function phpJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function fieldValue(field: string, value: unknown, languages: readonly number[]): unknown {
  if (isTranslated(value)) {
    const chosen = value.filter((t) => languages.includes(Number(t.id)));
    if (chosen.length === 1) return chosen[0]?.value ?? '';
    return chosen.map((t) => ({ id: t.id, value: t.value }));
  }
  if (value === null || value === undefined) return field.startsWith('id_') ? '' : null;
  return value;
}

/** A record as WebserviceOutputJSON renders it: field order of the resource, empty associations left out. */
export function jsonRecord(def: ResourceDef, row: Row, spec: RenderSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (spec.fields && !spec.fields.has(field)) continue;
    out[field] = field === 'id' ? row.id : fieldValue(field, row[field], spec.languages);
  }
  const associations: Record<string, unknown> = {};
  for (const assoc of def.associations) {
    const wanted = spec.associations === 'all' ? null : spec.associations.get(assoc.name);
    if (spec.associations !== 'all' && wanted === undefined) continue;
    const items = row.associations?.[assoc.name] ?? [];
    if (items.length === 0) continue;
    associations[assoc.name] = items.map((item) => {
      const rendered: Record<string, string> = {};
      for (const field of assoc.fields) {
        if (wanted && !wanted.has(field)) continue;
        rendered[field] = item[field] ?? '';
      }
      return rendered;
    });
  }
  if (Object.keys(associations).length > 0) out.associations = associations;
  return out;
}

/** PrestaShop 8.1+ runs array_filter over a single record: "0", "", null (and empty lists) disappear. */
export function arrayFilter(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === '0' || value === '' || value === null || value === 0 || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

export function jsonErrors(errors: ReadonlyArray<{ code: number; message: string }>): string {
  return phpJson({ errors: errors.map((e) => ({ code: e.code, message: e.message })) });
}
