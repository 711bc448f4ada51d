import { allDeclarations, type ModelDeclaration } from './modelRegistry';

/** The markers around the generated dictionary in docs/data-model.md. */
export const DICTIONARY_START = '<!-- data-dictionary:start (generated from sql/models/analytics/*.yml: npm run -s docs:data-dictionary) -->';
export const DICTIONARY_END = '<!-- data-dictionary:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/**
 * The data dictionary of the analytics schema, as markdown: every table, then every reading view, each with its
 * description, key and columns, from the same declarations the database comments come from.
 */
export function renderDataDictionary(declarations: ModelDeclaration[] = allDeclarations()): string {
  const tables = declarations.filter((d) => d.kind === 'table');
  const views = declarations.filter((d) => d.kind === 'view');
  const section = (d: ModelDeclaration): string[] => [
    `#### \`analytics.${d.name}\``,
    '',
    `${cell(d.description)} Key: ${d.key.map((k) => `\`${k}\``).join(', ')}.`,
    '',
    '| column | meaning |',
    '|---|---|',
    ...Object.entries(d.columns).map(([column, meaning]) => `| \`${column}\` | ${cell(meaning)} |`),
    '',
  ];
  return [
    '### Tables',
    '',
    ...tables.flatMap(section),
    '### Reading views',
    '',
    ...views.flatMap(section),
  ]
    .join('\n')
    .trimEnd();
}

/** markdown with the text between the dictionary markers replaced; throws when the markers are missing. */
export function withDictionary(markdown: string, dictionary: string = renderDataDictionary()): string {
  const start = markdown.indexOf(DICTIONARY_START);
  const end = markdown.indexOf(DICTIONARY_END);
  if (start < 0 || end < start) throw new Error(`the data dictionary markers are missing: put ${DICTIONARY_START} and ${DICTIONARY_END} where it goes`);
  return `${markdown.slice(0, start + DICTIONARY_START.length)}\n${dictionary}\n${markdown.slice(end)}`;
}
