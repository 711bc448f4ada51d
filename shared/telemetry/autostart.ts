import { startTelemetry } from './appInsights';

/**
 * Imported first by the Functions entry module, for its side effect: Application Insights starts before any
 * module requires pg, so its PostgreSQL instrumentation can hook the driver. Off without a connection string.
 */
const start = startTelemetry(process.env);
if (start.note && start.enabled) console.warn(`phc telemetry: ${start.note}`);
