import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allTelemetryNames, Dimension, Event, Metric, RunCause, type TelemetryName } from '../../shared/telemetry/names';
import { descendants, infraDir, loadBicepFiles, stringValue } from './bicep';
import { bicepQueries, type Query, workbookQueries } from './queries';

/** The workbook and the alert rules may use only the names and dimensions of shared/telemetry/names.ts. */

const known = new Map<string, TelemetryName>([...Object.values(Metric), ...Object.values(Event)].map((t) => [t.name, t]));
const dimensions = new Set<string>(Object.values(Dimension));

/** Names a query filters on: `name == 'x'`, `name in ('x', 'y')`, and any phc_/Phc literal. */
function namesIn(kql: string): string[] {
  const names = new Set<string>();
  for (const m of kql.matchAll(/\bname\s*==\s*['"]([^'"]+)['"]/g)) names.add(m[1] ?? '');
  for (const m of kql.matchAll(/\bname\s+in\s*\(([^)]*)\)/g)) {
    for (const lit of (m[1] ?? '').matchAll(/['"]([^'"]+)['"]/g)) names.add(lit[1] ?? '');
  }
  for (const m of kql.matchAll(/['"]((?:phc_|Phc)[A-Za-z0-9_]+)['"]/g)) names.add(m[1] ?? '');
  return [...names];
}

function dimensionsIn(kql: string): string[] {
  const found = new Set<string>();
  for (const m of kql.matchAll(/customDimensions(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])/g)) found.add(m[1] ?? m[2] ?? '');
  return [...found];
}

const workbook = workbookQueries();
const alerts = bicepQueries();
const allQueries = [...workbook, ...alerts];
const usedNames = (queries: Query[]): Set<string> => new Set(queries.flatMap((q) => namesIn(q.text)));

describe('telemetry names in infra/ come from shared/telemetry/names.ts', () => {
  it('finds the workbook queries and the alert queries', () => {
    expect(workbook.length).toBeGreaterThanOrEqual(10);
    expect(alerts.length).toBeGreaterThanOrEqual(4);
  });

  it('the checks catch an unknown name and an undeclared dimension', () => {
    expect(namesIn("customMetrics | where name == 'phc_made_up' | where name in ('PhcOther', \"x\")")).toEqual(['phc_made_up', 'PhcOther', 'x']);
    expect(dimensionsIn("tostring(customDimensions.entity), customDimensions['shop']")).toEqual(['entity', 'shop']);
  });

  it('every metric and event name a query uses is defined in names.ts', () => {
    const unknown = allQueries.flatMap((q) => namesIn(q.text).filter((n) => !known.has(n)).map((n) => `${q.where}: ${n}`));
    expect(unknown).toEqual([]);
    expect(allTelemetryNames().length).toBe(known.size);
  });

  it('every customDimensions.<dimension> a query reads is declared by a name that query uses', () => {
    const problems = allQueries.flatMap((q) => {
      const names = namesIn(q.text).map((n) => known.get(n)).filter((t): t is TelemetryName => t !== undefined);
      return dimensionsIn(q.text)
        .filter((dim) => !dimensions.has(dim) || !names.some((t) => (t.dimensions as readonly string[]).includes(dim)))
        .map((dim) => `${q.where}: customDimensions.${dim}`);
    });
    expect(problems).toEqual([]);
  });

  it('the workbook shows every measure the issue asks for', () => {
    const used = usedNames(workbook);
    const wanted = [
      Metric.syncRowsFetched, // rows fetched per run
      Metric.syncRowsChanged, // rows changed per run
      Metric.syncDurationMs, // run duration
      Event.syncRun, // failures
      Metric.syncWatermarkLagSeconds, // watermark lag
      Metric.prestashopRequestMs, // PrestaShop latency and error rate
      Metric.analyticsRefreshMs, // analytics refresh duration
      Metric.dataQualityFailures, // data-quality failures
      Metric.quarantinedRecords, // quarantined records
      Event.poisonMessage, // poison-queue messages
    ].map((t) => t.name);
    expect(wanted.filter((n) => !used.has(n))).toEqual([]);
  });

  it('alert rules cover failed syncs, watermark lag, poison messages and critical data-quality failures', () => {
    const byRule = (name: string, also: RegExp): boolean => alerts.some((q) => namesIn(q.text).includes(name) && also.test(q.text));
    // A run needs a human when it failed, or ended partial for any cause but the routine time budget.
    const needsHuman = new RegExp(
      String.raw`extend status = tostring\(customDimensions\.status\), cause = tostring\(customDimensions\.cause\)\s*\|\s*` +
        String.raw`where status == 'failed' or \(status == 'partial' and cause != '${RunCause.timeBudget}'\)`,
    );
    expect(byRule(Event.syncRun.name, needsHuman)).toBe(true);
    expect(byRule(Event.reconcileRun.name, needsHuman)).toBe(true);
    expect(workbook.filter((q) => needsHuman.test(q.text)).length).toBeGreaterThanOrEqual(2);
    expect(Event.syncRun.dimensions).toContain(Dimension.cause);
    expect(Event.reconcileRun.dimensions).toContain(Dimension.cause);
    expect(byRule(Metric.syncWatermarkLagSeconds.name, /.*/)).toBe(true);
    expect(byRule(Event.poisonMessage.name, /.*/)).toBe(true);
    expect(byRule(Metric.dataQualityFailures.name, /customDimensions\.severity\)\s*==\s*'critical'/)).toBe(true);
    // 'failed' is a status the run ledger really records.
    const ledger = readFileSync(path.join(infraDir, '..', 'sql', 'migrations', '001_warehouse_foundation.sql'), 'utf8');
    expect(ledger).toMatch(/status\s+text not null check \(status in \([^)]*'failed'/);
    expect(ledger).toMatch(/status\s+text not null check \(status in \([^)]*'partial'/);
  });

  it('monitoring.bicep loads the workbook file that exists, and points its fallbackResourceIds at Application Insights', () => {
    const [monitoring] = loadBicepFiles([path.join(infraDir, 'modules', 'monitoring.bicep')]);
    const calls = descendants(monitoring!.tree.rootNode, 'call_expression');
    const loads = calls
      .filter((c) => c.childForFieldName('function')?.text === 'loadJsonContent')
      .map((c) => stringValue(c.childForFieldName('arguments')?.namedChildren[0]) ?? '');
    expect(loads).toEqual(['../workbook.json']);
    expect(existsSync(path.join(infraDir, 'modules', loads[0] ?? ''))).toBe(true);
    const serialized = calls.find((c) => c.childForFieldName('function')?.text === 'union' && c.text.includes('loadJsonContent'));
    expect(serialized?.text.replace(/\s+/g, ' ')).toBe("union(loadJsonContent('../workbook.json'), { fallbackResourceIds: [appInsights.id] })");
  });
});
