import type { ResourceName } from '../resources';
import { ZERO_DATETIME } from '../time';
import { TYPED_LANGUAGE_ID, TYPES_81, type FieldKind } from './types81';

const INTEGER = /^-?\d+$/;

/** ObjectModel's (int) cast of a column value; a value that is not an integer (planted by hand) is left as it is. */
function asInt(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'string' && INTEGER.test(value)) return Number(value);
  return value;
}

function typedValue(kind: FieldKind, value: unknown, recordId: unknown): unknown {
  switch (kind) {
    case 'int':
      return asInt(value);
    case 'intForDefaultLanguage':
      return recordId === TYPED_LANGUAGE_ID ? asInt(value) : value;
    case 'falseWhenEmpty':
      return value === '' || value === null ? false : value;
    case 'zeroDateWhenNull':
      return value === null ? ZERO_DATETIME : value;
    case 'emptyWhenNull':
      return value === null ? '' : value;
  }
}

/**
 * Gives a record rendered the 1.7 way (every value a string) the JSON types of PrestaShop 8.1.2, field by field
 * (TYPES_81). Works in place on a freshly rendered record and returns it.
 */
export function typeRecord81(resource: ResourceName, record: Record<string, unknown>): Record<string, unknown> {
  const types = TYPES_81[resource];
  for (const [field, value] of Object.entries(record)) {
    if (field === 'associations') {
      for (const [name, items] of Object.entries(value as Record<string, Array<Record<string, unknown>>>)) {
        const numbers = types.associations[name] ?? [];
        for (const item of items) for (const key of numbers) if (key in item) item[key] = asInt(item[key]);
      }
      continue;
    }
    if (Array.isArray(value)) {
      // A translatable field in several languages: [{id, value}], the language id a number in 8.1.
      for (const translation of value as Array<{ id: unknown }>) translation.id = asInt(translation.id);
      continue;
    }
    const kind = types.fields[field];
    if (kind) record[field] = typedValue(kind, value, record.id);
  }
  return record;
}
