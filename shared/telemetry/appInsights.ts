import type { TokenCredential } from '@azure/identity';
import type { TelemetryClient } from 'applicationinsights';
import { isUnresolvedKeyVaultReference } from '../secrets/keyVaultReference';
import { contractProblems, declaredDimensions } from './contract';
import { cloudRoleName, ingestionAuth, managedIdentityCredential } from './ingestionAuth';
import type { TelemetryName } from './names';
import { redact, redactFields } from './redact';
import { noTelemetry, type Telemetry } from './types';

type ApplicationInsights = typeof import('applicationinsights');
type TrackingClient = Pick<TelemetryClient, 'trackMetric' | 'trackEvent' | 'flush'>;

/** A metric or event that breaks the names.ts contract is sent with its declared dimensions only, and reported. */
export type ContractProblemHandler = (problems: string[]) => void;

/** Telemetry over an Application Insights client; properties redacted, dimensions limited to those declared. */
export function createClientTelemetry(client: TrackingClient, onContractProblem: ContractProblemHandler = () => undefined): Telemetry {
  const clean = (definition: TelemetryName, dimensions: Record<string, string>): Record<string, string> => {
    const problems = contractProblems(definition, dimensions).filter((p) => !p.endsWith('is missing'));
    if (problems.length > 0) onContractProblem(problems);
    return redactFields(declaredDimensions(definition, dimensions));
  };
  return {
    metric(definition, value, dimensions) {
      client.trackMetric({ name: definition.name, value, properties: clean(definition, dimensions) });
    },
    event(definition, dimensions, measurements) {
      client.trackEvent({ name: definition.name, properties: clean(definition, dimensions), ...(measurements ? { measurements } : {}) });
    },
    flush: () => client.flush(),
  };
}

interface AttributeCarrier {
  attributes: Record<string, unknown>;
}

/** Cleans span attributes (SQL text of the pg instrumentation, URLs of the http one) before export. */
const redactingSpanProcessor = {
  onStart: (): void => undefined,
  onEnd(span: AttributeCarrier): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (typeof value === 'string') span.attributes[key] = redact(value);
    }
  },
  forceFlush: (): Promise<void> => Promise.resolve(),
  shutdown: (): Promise<void> => Promise.resolve(),
};

interface LogRecordLike {
  attributes: Record<string, unknown>;
  body?: unknown;
  setAttribute(key: string, value: string): unknown;
  setBody(body: string): unknown;
}

const redactingLogProcessor = {
  onEmit(record: LogRecordLike): void {
    for (const [key, value] of Object.entries(record.attributes)) {
      if (typeof value === 'string') record.setAttribute(key, redact(value));
    }
    if (typeof record.body === 'string') record.setBody(redact(record.body));
  },
  forceFlush: (): Promise<void> => Promise.resolve(),
  shutdown: (): Promise<void> => Promise.resolve(),
};

export interface TelemetryStart {
  enabled: boolean;
  /** Why it is off, or a warning about how it started (e.g. pg loaded too early). */
  note?: string;
  telemetry: Telemetry;
}

let started: TelemetryStart | undefined;

function pgAlreadyLoaded(): boolean {
  return Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]pg[\\/]/.test(file));
}

export interface StartTelemetryOptions {
  /** Keep unsent telemetry on disk across restarts (default true; tests turn it off). */
  diskRetryCaching?: boolean;
  onContractProblem?: ContractProblemHandler;
  /** Builds the Entra credential APPLICATIONINSIGHTS_AUTHENTICATION_STRING asks for (default: ManagedIdentityCredential). */
  credential?: (clientId: string | undefined) => TokenCredential;
}

/**
 * Starts Application Insights once per process, and must run before pg is first required so that its pg
 * instrumentation can hook the module. Off (noTelemetry) without APPLICATIONINSIGHTS_CONNECTION_STRING.
 * Request collection is off: the Functions host already records one request per invocation.
 *
 * With APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD;ClientId=<id> every item is sent with an Entra
 * token of that managed identity (Application Insights with local authentication off refuses anything else). Items
 * carry the cloud role of cloudRoleName() (the Function App's name in Azure).
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env, options: StartTelemetryOptions = {}): TelemetryStart {
  if (started) return started;
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) {
    started = { enabled: false, note: 'APPLICATIONINSIGHTS_CONNECTION_STRING is not set: telemetry is off', telemetry: noTelemetry };
    return started;
  }
  if (isUnresolvedKeyVaultReference(connectionString)) {
    started = {
      enabled: false,
      note: 'APPLICATIONINSIGHTS_CONNECTION_STRING is an unresolved Key Vault reference: telemetry is off (check the app identity and the reference)',
      telemetry: noTelemetry,
    };
    return started;
  }
  const auth = ingestionAuth(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
  if (auth.kind === 'invalid') {
    started = {
      enabled: false,
      note: `APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not Authorization=AAD;ClientId=<client id> (${auth.problem}): telemetry is off`,
      telemetry: noTelemetry,
    };
    return started;
  }
  const lateNote = pgAlreadyLoaded() ? 'pg was loaded before telemetry started: PostgreSQL dependencies will not be tracked' : undefined;
  // The exporter takes the role from the OpenTelemetry resource, whose service.name comes from this variable.
  process.env.OTEL_SERVICE_NAME = cloudRoleName(env);
  // Loaded only when enabled: the SDK and OpenTelemetry take about a second to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const appInsights = require('applicationinsights') as ApplicationInsights;
  appInsights
    .setup(connectionString)
    .setAutoCollectRequests(false)
    .setAutoCollectConsole(false, false)
    .setAutoCollectPerformance(false, false)
    .setSendLiveMetrics(false)
    .setUseDiskRetryCaching(options.diskRetryCaching ?? true);
  appInsights.defaultClient.config.azureMonitorOpenTelemetryOptions = {
    spanProcessors: [redactingSpanProcessor],
    logRecordProcessors: [redactingLogProcessor],
  };
  if (auth.kind === 'entra') {
    appInsights.defaultClient.config.aadTokenCredential = (options.credential ?? managedIdentityCredential)(auth.clientId);
  }
  appInsights.start();
  const telemetry = createClientTelemetry(appInsights.defaultClient, options.onContractProblem);
  started = { enabled: true, ...(lateNote ? { note: lateNote } : {}), telemetry };
  return started;
}

/** The process telemetry: Application Insights once started, otherwise noTelemetry. */
export function getTelemetry(): Telemetry {
  return started?.telemetry ?? noTelemetry;
}

/** Flushes and stops the SDK (CLI exit, tests). Safe when telemetry never started. */
export async function shutdownTelemetry(): Promise<void> {
  if (!started?.enabled) {
    started = undefined;
    return;
  }
  // The SDK cannot be set up twice in one process: stay off rather than pretend to restart.
  started = { enabled: false, note: 'telemetry was shut down', telemetry: noTelemetry };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const appInsights = require('applicationinsights') as ApplicationInsights;
  await appInsights.defaultClient.flush();
  await appInsights.defaultClient.shutdown();
}
