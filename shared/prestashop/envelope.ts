/**
 * The top level of a JSON answer (docs/prestashop-webservice.md §5), parsed strictly: a list is `{"<plural>":[...]}`, or `[]` /
 * `{"<plural>":[]}` / `{}` when empty; a single record is `{"<singular>":{...}}` or, with display, a one-item list.
 * Anything else (another key, partial data under "", a non-empty bare array) is an error, never guessed at.
 */

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

function describe(body: unknown): string {
  if (Array.isArray(body)) return `an array of ${body.length}`;
  if (typeof body === 'object' && body !== null) return `an object with keys [${Object.keys(body).map((k) => JSON.stringify(k)).join(', ')}]`;
  return typeof body;
}

export function listRows(body: unknown, plural: string): unknown[] {
  if (Array.isArray(body)) {
    if (body.length === 0) return [];
    throw new EnvelopeError(`expected {"${plural}":[...]} or [], got ${describe(body)}`);
  }
  if (typeof body !== 'object' || body === null) throw new EnvelopeError(`expected {"${plural}":[...]}, got ${describe(body)}`);
  const keys = Object.keys(body);
  if (keys.length === 0) return [];
  if (keys.length !== 1 || keys[0] !== plural) throw new EnvelopeError(`expected {"${plural}":[...]}, got ${describe(body)}`);
  const rows = (body as Record<string, unknown>)[plural];
  if (!Array.isArray(rows)) throw new EnvelopeError(`expected "${plural}" to be a list, got ${describe(rows)}`);
  return rows;
}

/** The one record of a single-resource answer; null when the list form is empty. */
export function singleRow(body: unknown, plural: string, singular: string): unknown {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === singular) {
      const row = (body as Record<string, unknown>)[singular];
      if (typeof row === 'object' && row !== null && !Array.isArray(row)) return row;
      throw new EnvelopeError(`expected "${singular}" to be an object, got ${describe(row)}`);
    }
  }
  const rows = listRows(body, plural);
  if (rows.length > 1) throw new EnvelopeError(`expected at most one "${plural}" row, got ${rows.length}`);
  return rows[0] ?? null;
}
