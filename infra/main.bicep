// PHC Analytics on Azure: everything the running app needs, in one resource group.
// Deploy with `azd up` (azure.yaml, main.parameters.json) or
// `az deployment group create -g <rg> -f infra/main.bicep -p infra/env/prod.parameters.json`; see docs/deploy.md.
targetScope = 'resourceGroup'

// ---------- naming ----------

@description('Environment name (azd AZURE_ENV_NAME), e.g. prod; part of every generated name and tag.')
@minLength(1)
@maxLength(32)
param environmentName string

@description('Azure region of every resource: one that offers Flex Consumption (az functionapp list-flexconsumption-locations) and PostgreSQL Flexible Server. Add a region here when Flex Consumption reaches it.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = resourceGroup().location

@description('Short prefix of generated names: 2 to 8 lowercase letters or digits.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'phc'

@description('Tags added to every resource.')
param tags object = {}

@description('Override: Function App name.')
param functionAppName string = ''

@description('Override: Flex Consumption plan name.')
param functionPlanName string = ''

@description('Override: user-assigned identity name (also the app\'s PostgreSQL role).')
param identityName string = ''

@description('Override: storage account name (3 to 24 lowercase letters and digits).')
param storageAccountName string = ''

@description('Override: Key Vault name (3 to 24 characters).')
param keyVaultName string = ''

@description('Override: PostgreSQL server name.')
param postgresServerName string = ''

@description('Override: Log Analytics workspace name.')
param logAnalyticsName string = ''

@description('Override: Application Insights name.')
param applicationInsightsName string = ''

// ---------- PrestaShop ----------

@description('Shop root URL, e.g. https://shop.example.com (the client appends /api/).')
param prestashopBaseUrl string

@description('PrestaShop webservice key. Stored in Key Vault only; never in app settings.')
@secure()
@minLength(1)
param prestashopApiKey string

@description('Name of the Key Vault secret that holds the key.')
param prestashopApiKeySecretName string = 'prestashop-api-key'

@description('IANA time zone overriding the shop\'s PS_TIMEZONE; empty to use the shop\'s.')
param prestashopTimeZone string = ''

@description('Timeout of one PrestaShop request, in milliseconds.')
@minValue(1000)
param prestashopTimeoutMs int = 30000

@description('Records per PrestaShop page.')
@minValue(1)
@maxValue(5000)
param prestashopPageSize int = 100

@description('Most PrestaShop requests in flight per entity; lowered for a while on 429, 503 and timeouts.')
@minValue(1)
@maxValue(16)
param prestashopConcurrency int = 2

@description('Multishop: read only this PrestaShop shop id; 0 for a single shop.')
@minValue(0)
param prestashopShopId int = 0

// ---------- sync ----------

@description('Seconds the sync window stays behind the shop clock.')
@minValue(0)
@maxValue(3600)
param syncLagSeconds int = 120

@description('Seconds each window re-reads before the last watermark (at least 300).')
@minValue(300)
param syncOverlapSeconds int = 300

@description('Seconds after which a timer run stops between pages; the next tick continues.')
@minValue(60)
@maxValue(540)
param syncTimeBudgetSeconds int = 420

@description('Largest share of an entity\'s rows one reconciliation may mark deleted, as a decimal string.')
param reconcileMaxDeleteShare string = '0.05'

@description('Share of the records a sync run reads that it may set aside before it ends partial, as a decimal string.')
param syncMaxRejectShare string = '0.05'

@description('Ids per page when reconciliation lists every id.')
@minValue(1)
@maxValue(10000)
param reconcilePageSize int = 1000

@description('NCRONTAB schedule of syncCustomers (UTC).')
param syncCustomersSchedule string = '0 1-59/10 * * * *'

@description('NCRONTAB schedule of syncProducts (UTC).')
param syncProductsSchedule string = '0 3-59/15 * * * *'

@description('NCRONTAB schedule of syncOrders (UTC).')
param syncOrdersSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the nightly reconcile (UTC).')
param reconcileSchedule string = '0 30 2 * * *'

// ---------- Function App ----------

@description('Memory per Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most on-demand instances per function group (Flex Consumption scales each non-HTTP function on its own). 40 is the lowest value Flex Consumption accepts in most regions. The database connections do not grow with it: see postgresRefreshPoolMax.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Opt-in for the few (preview) regions that accept a maximum below 40: 1 to 39 replaces maximumInstanceCount; 0 keeps it. Elsewhere Flex Consumption rejects a value below 40 and the deployment fails.')
@minValue(0)
@maxValue(39)
param maximumInstanceCountBelowFloor int = 0

@description('Extra app settings for the Function App, merged under the template\'s own. The template owns every app setting: one added by hand (portal, az) is removed by the next provision, so add it here. Never put a secret here: use Key Vault.')
param functionAppExtraSettings object = {}

@description('Subnet delegated to Microsoft.App/environments for the app\'s outbound traffic; empty for none.')
param functionSubnetId string = ''

// ---------- PostgreSQL ----------

@description('Most connections one timer invocation (a sync or the reconciliation) opens (PG_POOL_MAX). Timers run one at a time each, so the four of them open at most 4 x this. See docs/deploy.md, connection budget.')
@minValue(2)
@maxValue(100)
param postgresPoolMax int = 4

@description('Most connections the analytics refresh opens (PG_POOL_MAX_REFRESH). One refresh runs at a time across every instance (a blob lease taken before any connection), so this is counted once, twice while a lost lease is taken over.')
@minValue(1)
@maxValue(100)
param postgresRefreshPoolMax int = 2

@description('statement_timeout of every app connection, in milliseconds.')
@minValue(0)
param postgresStatementTimeoutMs int = 300000

@description('PostgreSQL major version; only versions CI tests (15).')
@allowed([
  '15'
])
param postgresVersion string = '15'

@description('PostgreSQL compute tier; must match postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL compute size.')
@allowed([
  'Standard_B1ms'
  'Standard_B2s'
  'Standard_B2ms'
  'Standard_D2ds_v5'
  'Standard_D4ds_v5'
  'Standard_E2ds_v5'
  'Standard_E4ds_v5'
])
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL storage in GiB (can grow, never shrink).')
@allowed([
  32
  64
  128
  256
  512
  1024
])
param postgresStorageSizeGB int = 32

@description('Days of point-in-time restore.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

@description('Geo-redundant backups (only at server creation).')
@allowed([
  'Enabled'
  'Disabled'
])
param postgresGeoRedundantBackup string = 'Disabled'

@description('High availability mode (not on Burstable).')
@allowed([
  'Disabled'
  'SameZone'
  'ZoneRedundant'
])
param postgresHighAvailabilityMode string = 'Disabled'

@description('PostgreSQL password authentication; Disabled keeps Entra tokens the only way in.')
@allowed([
  'Disabled'
  'Enabled'
])
param postgresPasswordAuth string = 'Disabled'

@description('Native admin password, only read when postgresPasswordAuth is Enabled.')
@secure()
param postgresAdministratorLoginPassword string?

@description('Object id of the Entra principal that administers PostgreSQL and runs the post-provision hook (azd: AZURE_PRINCIPAL_ID).')
param postgresEntraAdminObjectId string

@description('PostgreSQL name of that principal: user principal name, group or app display name.')
@minLength(1)
param postgresEntraAdminPrincipalName string

@description('Kind of that principal: azd passes AZURE_PRINCIPAL_TYPE (User when you run it, ServicePrincipal in CI); no default, so a wrong kind is never assumed.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param postgresEntraAdminPrincipalType string

@description('Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers for private access; empty for public access.')
param postgresDelegatedSubnetId string = ''

@description('Private DNS zone for the server, required with postgresDelegatedSubnetId.')
param postgresPrivateDnsZoneId string = ''

@description('Public access: client IP ranges allowed besides Azure services, e.g. the operator\'s address.')
param postgresClientIpRanges object[] = []

// ---------- monitoring ----------

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily Log Analytics ingestion cap in GB (-1 = none).')
param logDailyQuotaGb int = 1

@description('Accept only Entra-authenticated telemetry in Application Insights: the host and the app both send with the identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING). false also accepts the connection string\'s key alone.')
param applicationInsightsDisableLocalAuth bool = true

@description('Send Key Vault audit events (secret reads), PostgreSQL server logs and storage write/delete logs to the Log Analytics workspace.')
param diagnosticSettingsEnabled bool = true

@description('Also log every storage read (queue polls, lease renewals, package downloads): tens of MB a day; off by default.')
param diagnosticStorageReads bool = false

@description('E-mail that receives alerts; empty for no new action group.')
param alertEmail string = ''

@description('Existing action group to notify as well; empty for none.')
param existingActionGroupId string = ''

@description('Watermark lag, in seconds, above which an alert fires.')
@minValue(300)
param watermarkLagThresholdSeconds int = 3600

@description('How long without any sync run before an alert fires.')
@allowed([
  'PT30M'
  'PT45M'
  'PT1H'
  'PT2H'
  'PT6H'
])
param syncSilenceWindow string = 'PT1H'

@description('Turn the alert rules on or off.')
param alertsEnabled bool = true

// ---------- Key Vault ----------

@description('Purge protection on the Key Vault. Off by default: the vault holds only the shop key, which every provision writes again, and a purge-protected vault keeps its name for softDeleteRetention days after azd down, so azd up with the same environment fails until then. Turn on for long-lived environments (it cannot be turned off again).')
param keyVaultPurgeProtection bool = false

// ---------- composition ----------

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var allTags = union(tags, { 'azd-env-name': environmentName, application: 'phc-analytics' })
var names = {
  functionApp: !empty(functionAppName) ? functionAppName : 'func-${compactPrefix}-${resourceToken}'
  plan: !empty(functionPlanName) ? functionPlanName : 'plan-${compactPrefix}-${resourceToken}'
  identity: !empty(identityName) ? identityName : 'id-${compactPrefix}-${resourceToken}'
  storage: !empty(storageAccountName) ? storageAccountName : take('st${compactPrefix}${resourceToken}', 24)
  keyVault: !empty(keyVaultName) ? keyVaultName : take('kv-${compactPrefix}-${resourceToken}', 24)
  postgres: !empty(postgresServerName) ? postgresServerName : 'psql-${compactPrefix}-${resourceToken}'
  logAnalytics: !empty(logAnalyticsName) ? logAnalyticsName : 'log-${compactPrefix}-${resourceToken}'
  applicationInsights: !empty(applicationInsightsName) ? applicationInsightsName : 'appi-${compactPrefix}-${resourceToken}'
}
var analyticsRefreshQueue = 'analytics-refresh'
var deploymentContainerName = 'app-package'
// The analytics refresh's single-flight lease lives here (shared/storage/refreshLease.ts, REFRESH_LEASE_CONTAINER).
var leaseContainerName = 'phc-leases'
var effectiveMaximumInstanceCount = maximumInstanceCountBelowFloor > 0 ? maximumInstanceCountBelowFloor : maximumInstanceCount

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
    disableLocalAuth: applicationInsightsDisableLocalAuth
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: '${compactPrefix}-${environmentName}'
    location: location
    tags: allTags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    workspaceId: monitoring.outputs.workspaceId
    alertEmail: alertEmail
    existingActionGroupId: existingActionGroupId
    watermarkLagThresholdSeconds: watermarkLagThresholdSeconds
    syncSilenceWindow: syncSilenceWindow
    enabled: alertsEnabled
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
    leaseContainerName: leaseContainerName
    queueNames: [
      analyticsRefreshQueue
      '${analyticsRefreshQueue}-poison'
    ]
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    prestashopApiKeySecretName: prestashopApiKeySecretName
    prestashopApiKey: prestashopApiKey
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: names.postgres
    location: location
    tags: allTags
    version: postgresVersion
    skuTier: postgresSkuTier
    skuName: postgresSkuName
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    highAvailabilityMode: postgresHighAvailabilityMode
    passwordAuth: postgresPasswordAuth
    administratorLoginPassword: postgresAdministratorLoginPassword
    entraAdminObjectId: postgresEntraAdminObjectId
    entraAdminPrincipalName: postgresEntraAdminPrincipalName
    entraAdminPrincipalType: postgresEntraAdminPrincipalType
    delegatedSubnetId: postgresDelegatedSubnetId
    privateDnsZoneId: postgresPrivateDnsZoneId
    clientIpRanges: postgresClientIpRanges
  }
}

module diagnostics 'modules/diagnostics.bicep' = if (diagnosticSettingsEnabled) {
  name: 'diagnostics'
  params: {
    workspaceId: monitoring.outputs.workspaceId
    keyVaultName: keyVault.outputs.name
    postgresServerName: postgres.outputs.name
    storageAccountName: storage.outputs.name
    logStorageReads: diagnosticStorageReads
  }
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  name: 'roleAssignments'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultUri: keyVault.outputs.uri
    prestashopApiKeySecretName: keyVault.outputs.prestashopApiKeySecretName
    postgresHost: postgres.outputs.fqdn
    postgresDatabase: postgres.outputs.databaseName
    prestashopBaseUrl: prestashopBaseUrl
    prestashopTimeZone: prestashopTimeZone
    prestashopTimeoutMs: prestashopTimeoutMs
    prestashopPageSize: prestashopPageSize
    prestashopConcurrency: prestashopConcurrency
    syncLagSeconds: syncLagSeconds
    syncOverlapSeconds: syncOverlapSeconds
    syncTimeBudgetSeconds: syncTimeBudgetSeconds
    reconcileMaxDeleteShare: reconcileMaxDeleteShare
    syncMaxRejectShare: syncMaxRejectShare
    reconcilePageSize: reconcilePageSize
    prestashopShopId: prestashopShopId
    postgresPoolMax: postgresPoolMax
    postgresRefreshPoolMax: postgresRefreshPoolMax
    postgresStatementTimeoutMs: postgresStatementTimeoutMs
    syncCustomersSchedule: syncCustomersSchedule
    syncProductsSchedule: syncProductsSchedule
    syncOrdersSchedule: syncOrdersSchedule
    reconcileSchedule: reconcileSchedule
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: effectiveMaximumInstanceCount
    virtualNetworkSubnetId: functionSubnetId
    extraSettings: functionAppExtraSettings
  }
  // The app must not start before it may read its storage, secret and telemetry endpoints.
  dependsOn: [
    roleAssignments
  ]
}

// ---------- outputs (azd writes them to .azure/<env>/.env for the post-provision hook) ----------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Resource group of the deployment (the post-provision hook adds its temporary firewall rule there).')
output AZURE_RESOURCE_GROUP string = resourceGroup().name

@description('Entra tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Function App name (azd service api).')
output SERVICE_API_NAME string = functionApp.outputs.name

@description('Function App name.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Name of the app\'s managed identity; the post-provision hook creates the PostgreSQL role of this name for its object id.')
output FUNCTION_IDENTITY_NAME string = identity.outputs.name

@description('Client id of the app\'s managed identity.')
output FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Object id of the app\'s managed identity (the post-provision hook maps the PostgreSQL role to it).')
output FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('PostgreSQL server name.')
output POSTGRES_SERVER_NAME string = postgres.outputs.name

@description('PostgreSQL host name.')
output POSTGRES_HOST string = postgres.outputs.fqdn

@description('PostgreSQL database name.')
output POSTGRES_DATABASE string = postgres.outputs.databaseName

@description('Entra admin the post-provision hook logs in as (PGUSER).')
output POSTGRES_ADMIN_PRINCIPAL_NAME string = postgresEntraAdminPrincipalName

@description('True when PostgreSQL is reachable only from its virtual network (the hook must run from inside it).')
output POSTGRES_PRIVATE_ACCESS bool = postgres.outputs.privateAccess

@description('Key Vault URI.')
output KEY_VAULT_URI string = keyVault.outputs.uri

@description('Key Vault name.')
output KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the secret holding the PrestaShop key.')
output PRESTASHOP_API_KEY_SECRET_NAME string = keyVault.outputs.prestashopApiKeySecretName

@description('Storage account name.')
output STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Queue the syncs nudge the analytics refresh through.')
output ANALYTICS_REFRESH_QUEUE string = analyticsRefreshQueue

@description('Application Insights name (the workbook lives beside it).')
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
