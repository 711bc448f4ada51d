// The user-assigned managed identity the Function App runs as. It is created on its own so that role
// assignments, the PostgreSQL principal and the app settings can all refer to it before the app exists.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Name of the identity; also the PostgreSQL role name created for it by the post-provision hook.')
output name string = identity.name

@description('Client (application) id of the identity, used as AZURE_CLIENT_ID by the app.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, used for role assignments.')
output principalId string = identity.properties.principalId
