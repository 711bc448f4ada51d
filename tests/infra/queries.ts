import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bicepFiles, descendants, infraDir, loadBicep, loadBicepFiles, objectProperties, propertyKey, propertyValue, relative, stringValue, valueOf } from './bicep';

/** A KQL query found in infra/, with where it is. */
export interface Query {
  where: string;
  text: string;
}

/** Every `query` of the workbook (infra/workbook.json), labelled by its item names. */
export function workbookQueries(): Query[] {
  const workbook = JSON.parse(readFileSync(path.join(infraDir, 'workbook.json'), 'utf8')) as unknown;
  const found: Query[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const label = typeof record.name === 'string' ? `${where}/${record.name}` : where;
    if (typeof record.query === 'string') found.push({ where: label, text: record.query });
    for (const [key, child] of Object.entries(record)) if (key !== 'query') walk(child, label);
  };
  walk(workbook, 'workbook.json');
  return found;
}

/** KQL in Bicep: every multi-line string, and every string naming an Application Insights table. */
export function bicepQueries(): Query[] {
  return loadBicepFiles(bicepFiles()).flatMap((f) =>
    descendants(f.tree.rootNode, 'string')
      .filter((s) => s.text.startsWith("'''") || /\b(customEvents|customMetrics|traces)\b/.test(s.text))
      .map((s) => ({ where: `${relative(f.file)}:${s.startPosition.row + 1}`, text: stringValue(s) ?? s.text })),
  );
}

/** One log alert rule of infra/modules/alerts.bicep, with its query text and the scope parameter it runs on. */
export interface AlertRule {
  key: string;
  scope: string;
  query: string;
  measure: string;
  aggregation: string;
  dimensions: string[];
}

export function alertRules(): AlertRule[] {
  const alerts = loadBicep(path.join(infraDir, 'modules', 'alerts.bicep'));
  const vars = new Map(alerts.decls.filter((d) => d.kind === 'var').map((d) => [d.name, valueOf(d)]));
  const rules = vars.get('rules');
  return (rules?.namedChildren ?? [])
    .filter((n) => n.type === 'object')
    .map((rule) => {
      const props = new Map(objectProperties(rule).map((p) => [propertyKey(p), propertyValue(p)]));
      const text = (key: string): string => {
        const node = props.get(key);
        return node ? (stringValue(node) ?? node.text) : '';
      };
      const queryVar = props.get('query')?.text ?? '';
      return {
        key: text('key'),
        scope: text('scope'),
        query: stringValue(vars.get(queryVar)) ?? '',
        measure: text('measure'),
        aggregation: text('aggregation'),
        dimensions: (props.get('dimensions')?.namedChildren ?? []).map((d) => stringValue(d) ?? d.text),
      };
    });
}
