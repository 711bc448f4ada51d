/** Webservice errors with the codes and texts of classes/webservice/WebserviceRequest.php. */

export interface WsErrorItem {
  code: number;
  message: string;
}

export class WsError extends Error {
  constructor(
    readonly status: number,
    readonly errors: WsErrorItem[],
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  }
}

/** PHP levenshtein + WebserviceRequest::getClosest (a later word wins a tie). */
export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length]!;
}

export function closest(input: string, words: readonly string[]): string {
  let shortest = -1;
  let best = '';
  for (const word of words) {
    const lev = levenshtein(input, word);
    if (lev === 0) return word;
    if (lev <= shortest || shortest < 0) {
      best = word;
      shortest = lev;
    }
  }
  return best;
}

const quoted = (words: readonly string[]): string => `"${words.join('", "')}"`;

export const Errors = {
  disabled: (): WsError =>
    new WsError(503, [{ code: 22, message: 'The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office' }]),
  keyFormat: (): WsError => new WsError(401, [{ code: 18, message: 'Invalid authentication key format' }]),
  keyUnknown: (): WsError =>
    new WsError(401, [
      { code: 20, message: 'Authentification key is not active' },
      { code: 21, message: 'No permission for this authentication key' },
    ]),
  resourceNotAllowed: (resource: string): WsError =>
    new WsError(401, [{ code: 26, message: `Resource of type "${resource}" is not allowed with this authentication key` }]),
  unknownResource: (resource: string, all: readonly string[]): WsError =>
    new WsError(400, [
      {
        code: 27,
        message: `Resource of type "${resource}" does not exists. Did you mean: "${closest(resource, all)}"? The full list is: ${quoted(all)}`,
      },
    ]),
  methodInvalid: (method: string): WsError => new WsError(405, [{ code: 23, message: `Method ${method} is not valid` }]),
  methodNotAllowed: (method: string, resource: string): WsError =>
    new WsError(405, [
      { code: 25, message: `Method ${method} is not allowed for the resource ${resource} with this authentication key` },
    ]),
  unknownFilter: (field: string, available: readonly string[]): WsError =>
    new WsError(400, [
      {
        code: 32,
        message: `This filter does not exist. Did you mean: "${closest(field, available)}"? The full list is: ${quoted(available)}`,
      },
    ]),
  emptyFilter: (field: string): WsError => new WsError(400, [{ code: 33, message: `The filter "${field}" is malformed.` }]),
  dynamicFilter: (field: string): WsError =>
    new WsError(400, [{ code: 34, message: `The field "${field}" is dynamic. It is not possible to filter GET query with this field.` }]),
  displayField: (field: string, available: readonly string[]): WsError =>
    new WsError(400, [{ code: 35, message: `Unable to display this field "${field}". However, these are available: ${available.join(', ')}` }]),
  displaySyntax: (available: readonly string[]): WsError =>
    new WsError(400, [
      {
        code: 36,
        message: `The "display" syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. These are available: ${available.join(', ')}`,
      },
    ]),
  sortSyntax: (): WsError =>
    new WsError(400, [{ code: 37, message: 'The "sort" value has to be formed as this example: "field_ASC" or "field_DESC"' }]),
  sortField: (available: readonly string[], i18n: readonly string[]): WsError =>
    new WsError(400, [
      {
        code: 38,
        message: `Unable to filter by this field. However, these are available: ${available.join(', ')}, for i18n fields:${i18n.join(', ')}`,
      },
    ]),
  limitSyntax: (): WsError =>
    new WsError(400, [{ code: 39, message: 'The "limit" value has to be formed as this example: "5,25" or "10"' }]),
  language: (value: string): WsError =>
    new WsError(400, [{ code: 79, message: `Language "${value}" does not exist or is not active` }]),
} as const;

/** The body of fixtures/error-500-php-notice.json: a PHP notice while one record is rendered. */
export const PHP_NOTICE: WsErrorItem = {
  code: 5,
  message: '[PHP Notice #8] Trying to access array offset on value of type null (/var/www/html/classes/Product.php, line 7149)',
};
