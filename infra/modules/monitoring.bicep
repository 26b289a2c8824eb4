// Log Analytics and workspace-based Application Insights.
param logAnalyticsName string
param appInsightsName string
param location string
param tags object

@description('Principal (the apps\' identity) granted Monitoring Metrics Publisher: with local auth disabled, telemetry is sent with Entra tokens.')
param publisherPrincipalId string

@description('The edge relays\' identity (an app registration\'s service principal), also granted Monitoring Metrics Publisher so a relay ships its spans; empty for none.')
param relayPrincipalId string = ''

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, publisherPrincipalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

// The relays send their spans (a chunk's trace starts on the relay machine) with their own Entra identity.
resource relayPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(relayPrincipalId)) {
  name: guid(appInsights.id, relayPrincipalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: relayPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

output connectionString string = appInsights.properties.ConnectionString
output appInsightsName string = appInsights.name
