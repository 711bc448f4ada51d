/** Logging and telemetry. Loading this module does not load the Application Insights SDK (started on demand). */
export { Dimension, Event, Metric, RunCause, allTelemetryNames, type TelemetryName } from './names';
export { noTelemetry, silentLogger, type Fields, type Logger, type Telemetry } from './types';
export { createCliLogger, describeError, formatLine, type CliLoggerOptions } from './logger';
export { REDACTED, redact, redactFields, registerSecret } from './redact';
export { createMemoryTelemetry, type MemoryTelemetry, type TelemetryItem } from './memory';
export { contractProblems } from './contract';
export { createClientTelemetry, getTelemetry, shutdownTelemetry, startTelemetry, type StartTelemetryOptions, type TelemetryStart } from './appInsights';
