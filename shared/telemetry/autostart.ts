import { startTelemetry } from './appInsights';

/**
 * Imported first by the Functions entry module, for its side effect: Application Insights starts before any
 * module requires pg, so its PostgreSQL instrumentation can hook the driver. Off without a connection string;
 * a connection string that cannot be used (an unresolved Key Vault reference, a malformed authentication string)
 * turns it off too, and says so in the host log.
 */
const start = startTelemetry(process.env);
if (start.note && (start.enabled || process.env.APPLICATIONINSIGHTS_CONNECTION_STRING)) console.warn(`phc telemetry: ${start.note}`);
