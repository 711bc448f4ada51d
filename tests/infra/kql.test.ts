import { alertRules, bicepQueries, workbookQueries } from './queries';

/**
 * Every KQL query of the workbook and the alert rules, parsed and bound with the Kusto language service against the
 * schema of the tables it runs on (Application Insights' customEvents, customMetrics and traces; the Log Analytics
 * workspace's _LogOperation): a misspelt column, table or function fails here, not in the portal after deployment.
 */

// The library is a Bridge.NET build that installs global namespaces (Bridge, System, Kusto).
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-call */
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

interface Column {
  Name: string;
  Type: { Name: string };
}
interface List<T> {
  Count: number;
  getItem(i: number): T;
}
interface Diagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
}
interface Analysis {
  GetDiagnostics(): List<Diagnostic>;
  ResultType: { Columns?: List<Column> } | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped global namespace, used through the interfaces above
const kusto = (globalThis as unknown as { Kusto: any }).Kusto;
const symbols = kusto.Language.Symbols;

const common = 'itemType:string, itemId:string, itemCount:int, operation_Name:string, operation_Id:string, operation_ParentId:string, session_Id:string, user_Id:string, user_AuthenticatedId:string, application_Version:string, client_Type:string, client_IP:string, cloud_RoleName:string, cloud_RoleInstance:string, appId:string, appName:string, iKey:string, sdkVersion:string';
/** Application Insights tables as queried on the component (classic names), with the columns the portal lists. */
const applicationInsights = {
  customEvents: `(timestamp:datetime, name:string, customDimensions:dynamic, customMeasurements:dynamic, ${common})`,
  customMetrics: `(timestamp:datetime, name:string, value:real, valueCount:int, valueSum:real, valueMin:real, valueMax:real, valueStdDev:real, customDimensions:dynamic, ${common})`,
  traces: `(timestamp:datetime, message:string, severityLevel:int, customDimensions:dynamic, customMeasurements:dynamic, ${common})`,
};
/** The workspace's operational log (the daily cap's OverQuota events), as _LogOperation returns it. */
const workspace = {
  _LogOperation: '(TimeGenerated:datetime, Category:string, Operation:string, Level:string, Detail:string, _ResourceId:string, _SubscriptionId:string)',
};

function database(name: string, tables: Record<string, string>): unknown {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return
  const list = Object.entries(tables).map(([table, schema]) => new symbols.TableSymbol.$ctor7(table, schema, ''));
  return kusto.Language.GlobalState.Default.WithDatabase(new symbols.DatabaseSymbol.$ctor1(name, list));
}
const globals = { applicationInsights: database('appinsights', applicationInsights), workspace: database('workspace', workspace) };

/** Workbook parameters are replaced by a value of their kind before parsing. */
const withParameters = (kql: string): string => kql.replace(/\{TimeRange:grain\}/g, '1h');

function analyze(kql: string, on: keyof typeof globals): { errors: string[]; columns: Map<string, string> } {
  const code = kusto.Language.KustoCode.ParseAndAnalyze(withParameters(kql), globals[on]) as Analysis;
  const diagnostics = code.GetDiagnostics();
  const errors: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === 'Error') errors.push(`${d.Code} ${d.Message} (at ${d.Start})`);
  }
  const columns = new Map<string, string>();
  const list = code.ResultType?.Columns;
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const c = list!.getItem(i);
    columns.set(c.Name, c.Type.Name);
  }
  return { errors, columns };
}
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-call */

const scopes: Record<string, keyof typeof globals> = { applicationInsightsId: 'applicationInsights', workspaceId: 'workspace' };
const rules = alertRules();

describe('KQL of the workbook and the alert rules (Kusto language service, bound to the tables\' schemas)', () => {
  it('the analyzer catches a wrong column, a wrong table and a syntax error', () => {
    expect(analyze("customEvents | where nam == 'x'", 'applicationInsights').errors).toEqual([expect.stringMatching(/^KS142 .*'nam'/)]);
    expect(analyze('requests | take 1', 'applicationInsights').errors).toEqual([expect.stringMatching(/^KS204 .*'requests'/)]);
    expect(analyze('customMetrics | where', 'applicationInsights').errors.length).toBeGreaterThan(0);
    expect(analyze('customEvents | take 1', 'workspace').errors).toEqual([expect.stringMatching(/'customEvents'/)]);
  });

  it('finds every query: the workbook\'s and one per alert rule', () => {
    expect(workbookQueries().length).toBeGreaterThanOrEqual(20);
    expect(rules.map((r) => r.key)).toEqual(['failed-sync', 'watermark-lag', 'poison-messages', 'critical-data-quality', 'sync-silent', 'daily-cap']);
    expect(rules.every((r) => r.query.length > 0 && r.scope in scopes)).toBe(true);
    // Every multi-line string of the templates is an alert query (none is left out of the rules).
    expect(bicepQueries().map((q) => q.text).filter((t) => !rules.some((r) => r.query === t))).toEqual([]);
  });

  it.each(workbookQueries().map((q) => [q.where, q.text] as const))('workbook query %s binds without errors', (_where, text) => {
    expect(analyze(text, 'applicationInsights').errors).toEqual([]);
  });

  it.each(rules.map((r) => [r.key, r] as const))('alert rule %s binds on its scope and returns its measure and split columns', (_key, rule) => {
    const { errors, columns } = analyze(rule.query, scopes[rule.scope] ?? 'applicationInsights');
    expect(errors).toEqual([]);
    // The alert engine needs the measured column (numeric) and every dimension it splits by in the result.
    expect(['long', 'int', 'real', 'decimal']).toContain(columns.get(rule.measure));
    expect(rule.dimensions.filter((d) => !columns.has(d))).toEqual([]);
  });
});
