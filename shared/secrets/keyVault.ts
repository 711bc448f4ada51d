import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { redact } from '../telemetry/redact';
import { createCachedSecretStore, type FetchedSecret, type SecretFetcher, type SecretStore, type SecretStoreOptions } from './secretStore';

/** A secret could not be read; the message says what to check. It never carries a secret or a token. */
export class SecretAccessError extends Error {
  constructor(
    message: string,
    readonly secretName: string,
    readonly vaultUri: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SecretAccessError';
  }
}

type SecretReader = Pick<SecretClient, 'getSecret'>;

export interface KeyVaultOptions {
  vaultUri: string;
  credential: TokenCredential;
  /** SDK options; tests point the client at a local stand-in (allowInsecureConnection, no challenge check). */
  clientOptions?: SecretClientOptions;
  /** Replaces the SecretClient altogether. */
  client?: SecretReader;
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
}

const credentialErrorNames = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

function explain(error: unknown, name: string, vaultUri: string): SecretAccessError {
  const shape: ErrorShape = typeof error === 'object' && error !== null ? error : {};
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  const code = typeof shape.code === 'string' ? ` ${shape.code}` : '';
  const detail = redact(typeof shape.message === 'string' ? shape.message : String(error));
  // The SDK's errors hold the request (headers included): keep only a cleaned message as the cause.
  const cause = new Error(detail);
  const where = `secret "${name}" in Key Vault ${vaultUri}`;
  let message: string;
  if (status === 401 || status === 403) {
    message =
      `Access denied to ${where} (HTTP ${status}${code}). Check that the identity the app runs as ` +
      `(AZURE_CLIENT_ID names it when user-assigned) has the "Key Vault Secrets User" role on the vault ` +
      `(or, for a vault using access policies, "get" on secrets), and that the vault's firewall admits the app.`;
  } else if (status === 404) {
    message =
      `No ${where} (HTTP 404${code}). Create the secret, or fix its name in PRESTASHOP_API_KEY_SECRET_NAME / ` +
      `PGPASSWORD_SECRET_NAME, and check KEY_VAULT_URI names the right vault.`;
  } else if (typeof shape.name === 'string' && credentialErrorNames.has(shape.name)) {
    message =
      `No Azure identity could get a token to read ${where}. In Azure, turn on the function app's managed identity ` +
      `(and set AZURE_CLIENT_ID to the client id of a user-assigned one); on a laptop, run "az login", or use the ` +
      `plain settings (PRESTASHOP_API_KEY, PGPASSWORD) without KEY_VAULT_URI.`;
  } else {
    message = `Could not read ${where}${status ? ` (HTTP ${status}${code})` : ''}: ${detail}. Check KEY_VAULT_URI and the network path to the vault.`;
  }
  return new SecretAccessError(message, name, vaultUri, status, { cause });
}

/** Reads the current version of a secret with SecretClient (DefaultAzureCredential in production). */
export function keyVaultFetcher(options: KeyVaultOptions): SecretFetcher {
  let client: SecretReader | undefined = options.client;
  return async (name: string): Promise<FetchedSecret> => {
    client ??= new SecretClient(options.vaultUri, options.credential, options.clientOptions);
    let secret: Awaited<ReturnType<SecretReader['getSecret']>>;
    try {
      secret = await client.getSecret(name);
    } catch (error) {
      throw explain(error, name, options.vaultUri);
    }
    if (!secret.value) {
      throw new SecretAccessError(`Secret "${name}" in Key Vault ${options.vaultUri} has no value. Set a value for it.`, name, options.vaultUri);
    }
    if (secret.properties.enabled === false) {
      throw new SecretAccessError(`Secret "${name}" in Key Vault ${options.vaultUri} is disabled. Enable it or create a new version.`, name, options.vaultUri);
    }
    return { value: secret.value, ...(secret.properties.expiresOn ? { expiresOn: secret.properties.expiresOn } : {}) };
  };
}

/** Key Vault secrets, cached (10 minutes by default; a failed refresh serves the cached value until it expires hard). */
export function createKeyVaultSecretStore(options: KeyVaultOptions & SecretStoreOptions): SecretStore {
  return createCachedSecretStore(keyVaultFetcher(options), options);
}
