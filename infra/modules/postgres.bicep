// Azure Database for PostgreSQL Flexible Server with the phc_analytics database. Entra authentication only by
// default: the chosen principal is the Entra admin (it runs `phc migrate` and `phc roles` after provisioning)
// and the Function App's identity logs in with a token as a member of etl_user.

@description('Server name: 3 to 63 lowercase letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(63)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the server.')
param tags object

@description('PostgreSQL major version. Only versions the project CI tests against are allowed (CI runs 15).')
@allowed([
  '15'
])
param version string = '15'

@description('Compute tier; must match skuName (Standard_B* = Burstable, Standard_D* = GeneralPurpose, Standard_E* = MemoryOptimized).')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'Burstable'

@description('Compute size. Standard_B1ms (1 vCore, 2 GiB) fits a small shop; raise it for large backfills.')
@allowed([
  'Standard_B1ms'
  'Standard_B2s'
  'Standard_B2ms'
  'Standard_D2ds_v5'
  'Standard_D4ds_v5'
  'Standard_E2ds_v5'
  'Standard_E4ds_v5'
])
param skuName string = 'Standard_B1ms'

@description('Provisioned storage in GiB. It can grow later but never shrink.')
@allowed([
  32
  64
  128
  256
  512
  1024
])
param storageSizeGB int = 32

@description('Grow storage automatically before it fills up.')
@allowed([
  'Enabled'
  'Disabled'
])
param storageAutoGrow string = 'Enabled'

@description('Days of point-in-time restore.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int = 7

@description('Copy backups to the paired region. Can only be chosen when the server is created.')
@allowed([
  'Enabled'
  'Disabled'
])
param geoRedundantBackup string = 'Disabled'

@description('High availability with a standby server. Not available on the Burstable tier.')
@allowed([
  'Disabled'
  'SameZone'
  'ZoneRedundant'
])
param highAvailabilityMode string = 'Disabled'

@description('Availability zone of the primary server; empty lets Azure choose.')
@allowed([
  ''
  '1'
  '2'
  '3'
])
param availabilityZone string = ''

@description('Password (PostgreSQL native) authentication. Off by default: the app and the admin both use Entra tokens.')
@allowed([
  'Disabled'
  'Enabled'
])
param passwordAuth string = 'Disabled'

@description('Native administrator login, used only when passwordAuth is Enabled.')
param administratorLogin string = 'phcadmin'

@description('Native administrator password, required only when passwordAuth is Enabled.')
@secure()
param administratorLoginPassword string?

@description('Object id of the Entra principal (user, group or service principal) that administers the server.')
param entraAdminObjectId string

@description('Name of that principal as PostgreSQL sees it: a user principal name, a group display name or an app display name.')
param entraAdminPrincipalName string

@description('Kind of the Entra admin principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param entraAdminPrincipalType string = 'User'

@description('Name of the application database.')
param databaseName string = 'phc_analytics'

@description('Resource id of a subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers for private access; empty for public access with firewall rules.')
param delegatedSubnetId string = ''

@description('Resource id of the private DNS zone (*.postgres.database.azure.com) linked to that virtual network; required with delegatedSubnetId.')
param privateDnsZoneId string = ''

@description('Public access only: let Azure services (the Function App on Flex Consumption) through the firewall. Logins still need an Entra token.')
param allowAzureServices bool = true

@description('Public access only: extra client IP ranges allowed through the firewall, e.g. [{ name: \'office\', startIpAddress: \'203.0.113.10\', endIpAddress: \'203.0.113.10\' }].')
param clientIpRanges object[] = []

var privateAccess = !empty(delegatedSubnetId)
var firewallRules = privateAccess
  ? []
  : concat(
      allowAzureServices
        ? [
            {
              name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
              startIpAddress: '0.0.0.0'
              endIpAddress: '0.0.0.0'
            }
          ]
        : [],
      clientIpRanges
    )

// Settings that enforce TLS; both are dynamic, so changing them needs no restart.
var serverParameters = [
  {
    name: 'require_secure_transport'
    value: 'on'
  }
  {
    name: 'ssl_min_protocol_version'
    value: 'TLSv1.2'
  }
]

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: passwordAuth == 'Enabled' ? administratorLogin : null
    administratorLoginPassword: passwordAuth == 'Enabled' ? administratorLoginPassword : null
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: passwordAuth
      tenantId: tenant().tenantId
    }
    availabilityZone: empty(availabilityZone) ? null : availabilityZone
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup
    }
    highAvailability: {
      mode: highAvailabilityMode
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: storageAutoGrow
    }
    network: privateAccess
      ? {
          delegatedSubnetResourceId: delegatedSubnetId
          privateDnsZoneArmResourceId: privateDnsZoneId
          publicNetworkAccess: 'Disabled'
        }
      : {
          publicNetworkAccess: 'Enabled'
        }
    createMode: 'Default'
  }
}

// The server accepts one change at a time, so the children below are chained with dependsOn.
resource entraAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: entraAdminObjectId
  properties: {
    principalName: entraAdminPrincipalName
    principalType: entraAdminPrincipalType
    tenantId: tenant().tenantId
  }
}

@batchSize(1)
resource configurations 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = [
  for parameter in serverParameters: {
    parent: server
    name: parameter.name
    properties: {
      value: parameter.value
      source: 'user-override'
    }
    dependsOn: [
      entraAdmin
    ]
  }
]

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    configurations
  ]
}

@batchSize(1)
resource firewall 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [
  for rule in firewallRules: {
    parent: server
    name: rule.name
    properties: {
      startIpAddress: rule.startIpAddress
      endIpAddress: rule.endIpAddress
    }
    dependsOn: [
      database
    ]
  }
]

@description('Resource id of the server.')
output id string = server.id

@description('Name of the server.')
output name string = server.name

@description('Host name clients connect to (PGHOST).')
output fqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the application database (PGDATABASE).')
output databaseName string = database.name

@description('True when the server is reachable only from the delegated subnet.')
output privateAccess bool = privateAccess
