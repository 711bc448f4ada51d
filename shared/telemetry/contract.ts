import { Event, Metric, type TelemetryName } from './names';

const byName = new Map<string, TelemetryName>([...Object.values(Metric), ...Object.values(Event)].map((t) => [t.name, t]));

/** What is wrong with one metric or event against names.ts: an unknown name, undeclared or missing dimensions. */
export function contractProblems(definition: TelemetryName, dimensions: Record<string, string>): string[] {
  const known = byName.get(definition.name);
  if (!known) return [`${definition.name} is not defined in shared/telemetry/names.ts`];
  const declared = new Set<string>(known.dimensions);
  const optional = new Set<string>(known.optional ?? []);
  const problems: string[] = [];
  for (const key of Object.keys(dimensions)) {
    if (!declared.has(key)) problems.push(`${definition.name}: dimension ${key} is not declared`);
  }
  for (const key of declared) {
    if (dimensions[key] === undefined && !optional.has(key)) problems.push(`${definition.name}: dimension ${key} is missing`);
  }
  return problems;
}

/** Keeps only the dimensions names.ts declares for this item. */
export function declaredDimensions(definition: TelemetryName, dimensions: Record<string, string>): Record<string, string> {
  const declared = new Set<string>(byName.get(definition.name)?.dimensions ?? []);
  return Object.fromEntries(Object.entries(dimensions).filter(([key]) => declared.has(key)));
}
