// The MCP server as a self-hosted MCP server on Functions Flex Consumption: a custom handler (host.json,
// configurationProfile mcp-custom-handler) running NeuraScale.Mcp.dll, stateless Streamable HTTP at /mcp.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
@secure()
param appInsightsConnectionString string

@description('Most instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([2048, 4096])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'custom', version: '1.0' }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview'
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      NEURASCALE_Storage__BlobServiceUri: 'https://${storageAccountName}.blob.${environment().suffixes.storage}'
      NEURASCALE_Storage__TableServiceUri: 'https://${storageAccountName}.table.${environment().suffixes.storage}'
      NEURASCALE_Storage__QueueServiceUri: 'https://${storageAccountName}.queue.${environment().suffixes.storage}'
      NEURASCALE_Storage__ManagedIdentityClientId: identityClientId
      // Only the app's own host name; browser origins are allowed explicitly, never loopback in Azure.
      NEURASCALE_AllowedHosts: '*.azurewebsites.net'
      NEURASCALE_Http__AllowLoopbackOrigins: 'false'
      // Infra owns the containers and tables; the app only reads and writes data.
      NEURASCALE_Storage__CreateIfMissing: 'false'
    }
  }
}

output defaultHostName string = app.properties.defaultHostName
output name string = app.name
