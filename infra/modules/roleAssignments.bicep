// Azure RBAC for the Function App's identity, resource-scoped and least privilege. One table, one loop per scope.

@description('Object (principal) id of the Function App\'s user-assigned identity.')
param principalId string

@description('Storage account the Functions host and the queues live in.')
param storageAccountName string

@description('Key Vault holding the PrestaShop key.')
param keyVaultName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

var roles = [
  {
    target: 'storage'
    name: 'Storage Blob Data Owner' // host locks and the Flex deployment package
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  }
  {
    target: 'storage'
    name: 'Storage Queue Data Contributor' // analytics-refresh trigger, output binding and poison queue
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  }
  {
    target: 'storage'
    name: 'Storage Table Data Contributor' // host bookkeeping
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  }
  {
    target: 'keyVault'
    name: 'Key Vault Secrets User' // read the PrestaShop key
    id: '4633458b-17de-408a-b874-0445c86b69e6'
  }
  {
    target: 'monitoring'
    name: 'Monitoring Metrics Publisher' // Entra-authenticated telemetry ingestion
    id: '3913510d-42f4-4e42-8a64-420c390055eb'
  }
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in filter(roles, r => r.target == 'storage'): {
    name: guid(storage.id, principalId, role.id)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: principalId
      principalType: 'ServicePrincipal'
      description: role.name
    }
  }
]

resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in filter(roles, r => r.target == 'keyVault'): {
    name: guid(vault.id, principalId, role.id)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: principalId
      principalType: 'ServicePrincipal'
      description: role.name
    }
  }
]

resource monitoringRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in filter(roles, r => r.target == 'monitoring'): {
    name: guid(appInsights.id, principalId, role.id)
    scope: appInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: principalId
      principalType: 'ServicePrincipal'
      description: role.name
    }
  }
]

@description('Names of the roles granted, for the deployment log.')
output grantedRoles string[] = [for role in roles: '${role.name} on ${role.target}']
