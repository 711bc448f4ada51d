/**
 * App Service / Functions resolve app settings of the form @Microsoft.KeyVault(...) before the app starts. When
 * resolution fails (no access, wrong name, identity not set), the app receives the literal reference instead.
 */
const REFERENCE_PREFIX = '@microsoft.keyvault(';

export function isUnresolvedKeyVaultReference(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase().startsWith(REFERENCE_PREFIX);
}

/** What to check, in the order most failures are found. The reference itself names no secret value. */
export function unresolvedReferenceHelp(setting: string, value: string): string {
  const reference = value.trim().slice(0, 300);
  return (
    `${setting} is an unresolved Key Vault reference (${reference}): Azure could not read the secret, so the app ` +
    `received the reference text instead of its value. Check that the function app's managed identity has the ` +
    `"Key Vault Secrets User" role on the vault (and, for a user-assigned identity, that the app's ` +
    `keyVaultReferenceIdentity names it); that the syntax is @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) ` +
    `or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>); that the secret exists and is enabled; and that the ` +
    `vault's network rules let the app in. The portal shows the resolution error next to the setting (Environment variables).`
  );
}
