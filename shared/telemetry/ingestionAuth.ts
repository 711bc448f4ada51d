import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

/** Role name of this app's telemetry when neither OTEL_SERVICE_NAME nor WEBSITE_SITE_NAME names it. */
export const DEFAULT_CLOUD_ROLE = 'phc-analytics';

export type IngestionAuth =
  | { kind: 'connection-string' }
  | { kind: 'entra'; clientId?: string }
  | { kind: 'invalid'; problem: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How the app's own client authenticates to Application Insights ingestion, from APPLICATIONINSIGHTS_AUTHENTICATION_STRING
 * (`Authorization=AAD;ClientId=<client id>`, the format the Functions host reads too). The SDK's own parser exists only
 * in its auto-attach agent, so the client the app creates would otherwise send without a token and, with local
 * authentication off, every item would be refused.
 */
export function ingestionAuth(value: string | undefined): IngestionAuth {
  const text = value?.trim();
  if (!text) return { kind: 'connection-string' };
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    if (!part.trim()) continue;
    const [key, ...rest] = part.split('=');
    if (!key || rest.length !== 1) return { kind: 'invalid', problem: `"${part.trim()}" is not key=value` };
    fields.set(key.trim().toLowerCase(), (rest[0] ?? '').trim());
  }
  const authorization = fields.get('authorization');
  if (authorization?.toUpperCase() !== 'AAD') return { kind: 'invalid', problem: 'it has no Authorization=AAD' };
  const unknown = [...fields.keys()].filter((k) => k !== 'authorization' && k !== 'clientid');
  if (unknown.length > 0) return { kind: 'invalid', problem: `it names ${unknown.join(', ')}, which is neither Authorization nor ClientId` };
  const clientId = fields.get('clientid');
  if (clientId === undefined) return { kind: 'entra' };
  if (!GUID.test(clientId)) return { kind: 'invalid', problem: 'its ClientId is not a GUID' };
  return { kind: 'entra', clientId };
}

/** The user-assigned identity of the auth string, or the system-assigned one without a client id. */
export function managedIdentityCredential(clientId: string | undefined): TokenCredential {
  return new ManagedIdentityCredential(clientId ? { clientId } : {});
}

/**
 * The cloud role (ai.cloud.role) every item carries: OTEL_SERVICE_NAME when set, else the Function App's name that
 * Azure sets (WEBSITE_SITE_NAME), else phc-analytics. Without it the exporter reports unknown_service:node.
 */
export function cloudRoleName(env: NodeJS.ProcessEnv): string {
  return env.OTEL_SERVICE_NAME?.trim() || env.WEBSITE_SITE_NAME?.trim() || DEFAULT_CLOUD_ROLE;
}
