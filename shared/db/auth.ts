import type { AccessToken, TokenCredential } from '@azure/identity';
import type { SecretStore } from '../secrets/secretStore';
import { redact, registerSecret } from '../telemetry/redact';

/** The scope of Azure Database for PostgreSQL (Flexible Server) Microsoft Entra tokens. */
export const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/** A cached token is replaced this long before it expires, so no connection starts with a token about to lapse. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** Opening a connection failed for lack of a credential; the message says what to check and carries no secret. */
export class DatabaseAuthError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseAuthError';
  }
}

export interface EntraTokenOptions {
  refreshMarginMs?: number;
  now?: () => number;
  /** Told when a refresh failed and a still-valid cached token was used instead. */
  onRefreshError?: (error: unknown) => void;
}

/**
 * The pg `password` callback for Entra authentication: pg calls it for every new connection; each call returns
 * a token for the PostgreSQL scope, reusing the cached one until TOKEN_REFRESH_MARGIN_MS before it expires.
 */
export function entraTokenPassword(credential: TokenCredential, options: EntraTokenOptions = {}): () => Promise<string> {
  const margin = options.refreshMarginMs ?? TOKEN_REFRESH_MARGIN_MS;
  const now = options.now ?? Date.now;
  let cached: AccessToken | undefined;
  let inFlight: Promise<string> | undefined;

  const fresh = (token: AccessToken): boolean => {
    const refreshAt = Math.min(token.expiresOnTimestamp - margin, token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY);
    return now() < refreshAt;
  };

  const fetchToken = async (): Promise<string> => {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(POSTGRES_ENTRA_SCOPE);
    } catch (error) {
      if (cached && now() < cached.expiresOnTimestamp) {
        options.onRefreshError?.(error);
        return cached.token;
      }
      throw new DatabaseAuthError(
        'Could not get a Microsoft Entra token for PostgreSQL. In Azure, check that the function app\'s managed ' +
          'identity is on (AZURE_CLIENT_ID names a user-assigned one); on a laptop, run "az login" or use PGAUTH=password.',
        { cause: new Error(redact(error instanceof Error ? error.message : String(error))) },
      );
    }
    if (!token) throw new DatabaseAuthError(`The Azure credential returned no token for ${POSTGRES_ENTRA_SCOPE}.`);
    registerSecret(token.token, { shortLived: true });
    cached = token;
    return token.token;
  };

  return () => {
    if (cached && fresh(cached)) return Promise.resolve(cached.token);
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** The pg `password` callback for a password kept in Key Vault: cached by the store, re-read after rotation. */
export function secretPassword(store: SecretStore, secretName: string): () => Promise<string> {
  return () => store.get(secretName);
}
