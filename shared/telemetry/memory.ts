import { contractProblems } from './contract';
import type { TelemetryName } from './names';
import { redactFields } from './redact';
import type { Telemetry } from './types';

export interface TelemetryItem {
  kind: 'metric' | 'event';
  name: string;
  value?: number;
  dimensions: Record<string, string>;
  measurements?: Record<string, number>;
}

export interface MemoryTelemetry extends Telemetry {
  items: TelemetryItem[];
  flushes: number;
}

/**
 * Keeps every item in memory (tests, and `phc` summaries). Strict by default: an item that breaks the names.ts
 * contract throws, so a test catches it before a workbook shows an empty chart.
 */
export function createMemoryTelemetry(options: { strict?: boolean } = {}): MemoryTelemetry {
  const strict = options.strict ?? true;
  const check = (definition: TelemetryName, dimensions: Record<string, string>): void => {
    const problems = contractProblems(definition, dimensions);
    if (strict && problems.length > 0) throw new Error(`Telemetry contract broken: ${problems.join('; ')}`);
  };
  const telemetry: MemoryTelemetry = {
    items: [],
    flushes: 0,
    metric(definition, value, dimensions) {
      check(definition, dimensions);
      telemetry.items.push({ kind: 'metric', name: definition.name, value, dimensions: redactFields(dimensions) });
    },
    event(definition, dimensions, measurements) {
      check(definition, dimensions);
      telemetry.items.push({
        kind: 'event',
        name: definition.name,
        dimensions: redactFields(dimensions),
        ...(measurements ? { measurements } : {}),
      });
    },
    flush() {
      telemetry.flushes += 1;
      return Promise.resolve();
    },
  };
  return telemetry;
}
