import type { TokenCredential } from '@azure/identity';
import { createKeyVaultSecretStore } from './keyVault';
import type { SecretStore } from './secretStore';

export { defaultCredential } from './credential';
export { createKeyVaultSecretStore, keyVaultFetcher, SecretAccessError, type KeyVaultOptions } from './keyVault';
export { isUnresolvedKeyVaultReference, unresolvedReferenceHelp } from './keyVaultReference';
export {
  createCachedSecretStore,
  DEFAULT_SECRET_HARD_EXPIRY_MS,
  DEFAULT_SECRET_REFRESH_MS,
  type FetchedSecret,
  type SecretFetcher,
  type SecretStore,
  type SecretStoreOptions,
} from './secretStore';

const stores = new Map<string, { credential: TokenCredential; store: SecretStore }>();

/** One cached store per vault and credential for the process, so every loadConfig() shares the cache. */
export function sharedKeyVaultStore(vaultUri: string, credential: TokenCredential): SecretStore {
  const existing = stores.get(vaultUri);
  if (existing && existing.credential === credential) return existing.store;
  const store = createKeyVaultSecretStore({ vaultUri, credential });
  stores.set(vaultUri, { credential, store });
  return store;
}
