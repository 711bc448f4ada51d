import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

const credentials = new Map<string, TokenCredential>();

/**
 * One DefaultAzureCredential per identity for the whole process, so its token cache is shared by Key Vault and
 * PostgreSQL. In Azure it resolves to the managed identity (user-assigned when clientId is given); on a laptop,
 * to the Azure CLI / developer sign-in.
 */
export function defaultCredential(clientId?: string): TokenCredential {
  const key = clientId ?? '';
  let credential = credentials.get(key);
  if (!credential) {
    credential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
    credentials.set(key, credential);
  }
  return credential;
}
