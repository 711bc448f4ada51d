// Log Analytics, workspace-based Application Insights and the PHC Analytics workbook. The workbook's queries
// (infra/workbook.json) use only the metric and event names of shared/telemetry/names.ts.

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to every monitoring resource.')
param tags object

@description('Days Log Analytics keeps data; 30 is included in the ingestion price.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Daily ingestion cap in GB (-1 = no cap). A cap protects the bill from a logging loop.')
param dailyQuotaGb int = 1

@description('Reject telemetry that is not sent with an Entra token. The app identity holds Monitoring Metrics Publisher, and both the Functions host and the app\'s own client send with it (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).')
param disableLocalAuth bool = true

@description('Display name of the workbook.')
param workbookDisplayName string = 'PHC Analytics'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsights.id, 'phc-analytics-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: workbookDisplayName
    category: 'workbook'
    version: 'Notebook/1.0'
    // fallbackResourceIds: the workbook opens on this Application Insights when reached from the gallery.
    serializedData: string(union(loadJsonContent('../workbook.json'), { fallbackResourceIds: [appInsights.id] }))
    sourceId: appInsights.id
  }
}

@description('Resource id of the Log Analytics workspace.')
output workspaceId string = workspace.id

@description('Resource id of the Application Insights component.')
output applicationInsightsId string = appInsights.id

@description('Name of the Application Insights component.')
output applicationInsightsName string = appInsights.name

@description('Resource id of the workbook.')
output workbookId string = workbook.id
