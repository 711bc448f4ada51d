// Key Vault holding the PrestaShop webservice key. RBAC authorisation only (no access policies); the Function
// App's identity gets Key Vault Secrets User in roleAssignments.bicep and reads the secret with the SDK.

@description('Key Vault name: 3 to 24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Key Vault pricing tier. Standard is enough for software-protected secrets.')
@allowed([
  'standard'
  'premium'
])
param skuName string = 'standard'

@description('Days a deleted vault or secret can be recovered. Fixed once the vault exists.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Name of the secret holding the PrestaShop webservice key (PRESTASHOP_API_KEY_SECRET_NAME).')
param prestashopApiKeySecretName string

@description('Purge protection. Irreversible once on; while on, a deleted vault keeps its name for softDeleteRetentionInDays (azd down --purge cannot free it).')
param enablePurgeProtection bool = false

@description('The PrestaShop webservice key. Written as a new secret version on every deployment.')
@secure()
@minLength(1)
param prestashopApiKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: skuName
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The API takes true or no value, never false (purge protection cannot be turned off).
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource prestashopApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: prestashopApiKeySecretName
  properties: {
    value: prestashopApiKey
    contentType: 'PrestaShop webservice key'
    attributes: {
      enabled: true
    }
  }
}

@description('Resource id of the vault.')
output id string = vault.id

@description('Name of the vault.')
output name string = vault.name

@description('Vault URI, e.g. https://<name>.vault.azure.net/ (KEY_VAULT_URI).')
output uri string = vault.properties.vaultUri

@description('Name of the PrestaShop key secret.')
output prestashopApiKeySecretName string = prestashopApiKeySecret.name
