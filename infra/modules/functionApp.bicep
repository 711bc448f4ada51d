// The Function App on Flex Consumption (Linux, Node 22), running as a user-assigned identity. Every setting the
// code reads (shared/config) is set here; secrets are not: the PrestaShop key is read from Key Vault at run
// time, PostgreSQL logins use Entra tokens, and telemetry is sent with the identity's Entra tokens.
//
// The appsettings resource below REPLACES the app's settings on every provision: a setting added by hand in the
// portal or with az is removed. Add one through extraSettings (main.bicep functionAppExtraSettings) instead.

@description('Function App name (also its host name prefix), globally unique.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('azd service name this app hosts (azure.yaml services key).')
param serviceName string = 'api'

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId).')
param identityClientId string

@description('Name of that identity: the PostgreSQL role it logs in as (PGUSER).')
param identityName string

@description('Storage account for AzureWebJobsStorage and the deployment package.')
param storageAccountName string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Application Insights component the app sends telemetry to; its connection string is read here, never passed as a module output.')
param applicationInsightsName string

@description('Key Vault URI (KEY_VAULT_URI).')
param keyVaultUri string

@description('Name of the Key Vault secret holding the PrestaShop key (PRESTASHOP_API_KEY_SECRET_NAME).')
param prestashopApiKeySecretName string

@description('PostgreSQL host name (PGHOST).')
param postgresHost string

@description('PostgreSQL database name (PGDATABASE).')
param postgresDatabase string

@description('Shop root URL; the client appends /api/ (PRESTASHOP_BASE_URL).')
param prestashopBaseUrl string

@description('IANA time zone overriding the shop\'s PS_TIMEZONE (PRESTASHOP_TIMEZONE); empty to use the shop\'s own.')
param prestashopTimeZone string = ''

@description('Timeout of one PrestaShop request in milliseconds (PRESTASHOP_TIMEOUT_MS).')
@minValue(1000)
param prestashopTimeoutMs int = 30000

@description('Records per PrestaShop page (PRESTASHOP_PAGE_SIZE).')
@minValue(1)
@maxValue(5000)
param prestashopPageSize int = 100

@description('Most PrestaShop requests in flight per entity (PRESTASHOP_CONCURRENCY).')
@minValue(1)
@maxValue(16)
param prestashopConcurrency int = 2

@description('Seconds the sync window stays behind the shop clock (SYNC_LAG_SECONDS).')
@minValue(0)
@maxValue(3600)
param syncLagSeconds int = 120

@description('Seconds each window re-reads before the last watermark (SYNC_OVERLAP_SECONDS); at least 300.')
@minValue(300)
param syncOverlapSeconds int = 300

@description('Seconds after which a timer run stops between pages and leaves the rest to the next tick (SYNC_TIME_BUDGET_SECONDS); below host.json functionTimeout (10 min).')
@minValue(60)
@maxValue(540)
param syncTimeBudgetSeconds int = 420

@description('Largest share of an entity\'s rows one reconciliation may mark deleted before it refuses (RECONCILE_MAX_DELETE_SHARE), as a decimal string.')
param reconcileMaxDeleteShare string = '0.05'

@description('Share of the records a sync run reads that it may set aside before it ends partial (SYNC_MAX_REJECT_SHARE), as a decimal string.')
param syncMaxRejectShare string = '0.05'

@description('Multishop: read only this PrestaShop shop id (PRESTASHOP_SHOP_ID); 0 for a single shop.')
@minValue(0)
param prestashopShopId int = 0

@description('Ids per page when reconciliation lists every id (RECONCILE_PAGE_SIZE).')
@minValue(1)
@maxValue(10000)
param reconcilePageSize int = 1000

@description('Most PostgreSQL connections one timer invocation (sync, reconcile) opens (PG_POOL_MAX); timers run one at a time each.')
@minValue(2)
@maxValue(100)
param postgresPoolMax int = 4

@description('Most PostgreSQL connections the analytics refresh opens (PG_POOL_MAX_REFRESH); one refresh runs at a time across every instance.')
@minValue(1)
@maxValue(100)
param postgresRefreshPoolMax int = 2

@description('statement_timeout of every app connection in milliseconds (PG_STATEMENT_TIMEOUT_MS).')
@minValue(0)
param postgresStatementTimeoutMs int = 300000

@description('NCRONTAB schedule of syncCustomers (SYNC_CUSTOMERS_SCHEDULE), UTC.')
param syncCustomersSchedule string = '0 1-59/10 * * * *'

@description('NCRONTAB schedule of syncProducts (SYNC_PRODUCTS_SCHEDULE), UTC.')
param syncProductsSchedule string = '0 3-59/15 * * * *'

@description('NCRONTAB schedule of syncOrders (SYNC_ORDERS_SCHEDULE), UTC.')
param syncOrdersSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the nightly reconcile (RECONCILE_SCHEDULE), UTC.')
param reconcileSchedule string = '0 30 2 * * *'

@description('Memory per instance in MB (Flex Consumption instance size).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most on-demand instances per function group. main.bicep holds it at 40 or more unless a region allowing less is opted in. Timers run once per schedule whatever it is; the queue-triggered refresh is single-flight, so database connections do not grow with it.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Extra app settings, merged under the template\'s own (which win on a clash). The only supported way to add a setting: the template replaces the whole set on every provision.')
param extraSettings object = {}

@description('Resource id of a subnet delegated to Microsoft.App/environments for virtual network integration; empty for none.')
param virtualNetworkSubnetId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

var settings = {
  // Host storage (timers' locks, the analytics-refresh queue trigger) through the identity: no key anywhere.
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Read by the host and by the app's own client (shared/telemetry/appInsights.ts): both send with Entra tokens of
  // the identity, which holds Monitoring Metrics Publisher, so local authentication can stay off.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
  KEY_VAULT_URI: keyVaultUri
  PRESTASHOP_API_KEY_SECRET_NAME: prestashopApiKeySecretName
  PRESTASHOP_BASE_URL: prestashopBaseUrl
  PRESTASHOP_TIMEOUT_MS: string(prestashopTimeoutMs)
  PRESTASHOP_PAGE_SIZE: string(prestashopPageSize)
  PRESTASHOP_CONCURRENCY: string(prestashopConcurrency)
  PGHOST: postgresHost
  PGPORT: '5432'
  PGDATABASE: postgresDatabase
  PGUSER: identityName
  PGAUTH: 'entra'
  PGSSLMODE: 'verify-full'
  PG_POOL_MAX: string(postgresPoolMax)
  PG_POOL_MAX_REFRESH: string(postgresRefreshPoolMax)
  PG_STATEMENT_TIMEOUT_MS: string(postgresStatementTimeoutMs)
  SYNC_LAG_SECONDS: string(syncLagSeconds)
  SYNC_OVERLAP_SECONDS: string(syncOverlapSeconds)
  SYNC_TIME_BUDGET_SECONDS: string(syncTimeBudgetSeconds)
  RECONCILE_MAX_DELETE_SHARE: reconcileMaxDeleteShare
  SYNC_MAX_REJECT_SHARE: syncMaxRejectShare
  RECONCILE_PAGE_SIZE: string(reconcilePageSize)
  SYNC_CUSTOMERS_SCHEDULE: syncCustomersSchedule
  SYNC_PRODUCTS_SCHEDULE: syncProductsSchedule
  SYNC_ORDERS_SCHEDULE: syncOrdersSchedule
  RECONCILE_SCHEDULE: reconcileSchedule
}

// Only set when given: an empty value would be invalid, not "use the default".
var optionalSettings = union(
  empty(prestashopTimeZone)
    ? {}
    : {
        PRESTASHOP_TIMEZONE: prestashopTimeZone
      },
  prestashopShopId == 0
    ? {}
    : {
        PRESTASHOP_SHOP_ID: string(prestashopShopId)
      }
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(extraSettings, settings, optionalSettings)
}

// Deployments authenticate with Entra (azd, func publish); no publishing password. Flex Consumption has no FTP.
resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the Function App.')
output name string = site.name

@description('Resource id of the Function App.')
output id string = site.id

@description('Default host name of the Function App.')
output defaultHostName string = site.properties.defaultHostName
