// Diagnostic settings to the Log Analytics workspace: Key Vault audit events (who read the shop key and when),
// PostgreSQL server logs (connections, authentication failures, errors) and storage writes and deletes (the
// deployment package, the leases, the queues). Storage reads (queue polls, lease renewals) are optional: they
// add tens of MB a day under the daily cap.

@description('Resource id of the Log Analytics workspace that receives the logs.')
param workspaceId string

@description('Key Vault whose audit events are sent.')
param keyVaultName string

@description('PostgreSQL server whose server logs are sent.')
param postgresServerName string

@description('Storage account whose blob and queue logs are sent.')
param storageAccountName string

@description('Also send StorageRead (every queue poll and lease renewal).')
param logStorageReads bool = false

var storageCategories = concat(['StorageWrite', 'StorageDelete'], logStorageReads ? ['StorageRead'] : [])
var settingName = 'to-log-analytics'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: postgresServerName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource postgresDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: server
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'PostgreSQLLogs'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in storageCategories: {
        category: category
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in storageCategories: {
        category: category
        enabled: true
      }
    ]
  }
}

@description('Log categories sent per resource, for the deployment log.')
output categories object = {
  keyVault: ['AuditEvent']
  postgres: ['PostgreSQLLogs']
  blob: storageCategories
  queue: storageCategories
}
