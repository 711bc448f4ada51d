import type { TelemetryName } from './names';

export type Fields = Record<string, string | number | boolean | null | undefined>;

/** Structured logger: functions log through the InvocationContext, the CLI to stderr; both carry the run id. */
export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger whose every line also carries these fields (e.g. { runId, entity }). */
  child(fields: Fields): Logger;
}

/** Metrics and events, by the names of shared/telemetry/names.ts only. */
export interface Telemetry {
  metric(definition: TelemetryName, value: number, dimensions: Record<string, string>): void;
  event(definition: TelemetryName, dimensions: Record<string, string>, measurements?: Record<string, number>): void;
  flush(): Promise<void>;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export const noTelemetry: Telemetry = {
  metric: () => undefined,
  event: () => undefined,
  flush: () => Promise.resolve(),
};
