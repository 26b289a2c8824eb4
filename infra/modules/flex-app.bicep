// A Function app on its own Flex Consumption plan, running as the user-assigned identity (no keys anywhere):
// used for the MCP server (custom handler) and the job app (.NET isolated worker).
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

@description('Functions runtime: custom (the MCP server as a custom handler) or dotnet-isolated.')
@allowed(['custom', 'dotnet-isolated'])
param runtimeName string

param runtimeVersion string

@description('Sign-in settings (Security:Jwt) when an Entra app registration exists; empty otherwise.')
param signInSettings object = {}

@description('App settings besides the shared ones (host storage, Application Insights, the NEURASCALE_Storage__* account).')
param settings object = {}

@description('Settings every NeuraScale app gets (e.g. the audit key as a Key Vault reference).')
param sharedSettings object = {}

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
    // Key Vault references in app settings are resolved as the user-assigned identity.
    keyVaultReferenceIdentity: identityId
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
      runtime: { name: runtimeName, version: runtimeVersion }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      NEURASCALE_Storage__BlobServiceUri: 'https://${storageAccountName}.blob.${environment().suffixes.storage}'
      NEURASCALE_Storage__TableServiceUri: 'https://${storageAccountName}.table.${environment().suffixes.storage}'
      NEURASCALE_Storage__QueueServiceUri: 'https://${storageAccountName}.queue.${environment().suffixes.storage}'
      NEURASCALE_Storage__ManagedIdentityClientId: identityClientId
      // Infra owns the containers, tables and queues; the apps only read and write data.
      NEURASCALE_Storage__CreateIfMissing: 'false'
    }, sharedSettings, signInSettings, settings)
  }
}

output defaultHostName string = app.properties.defaultHostName
output name string = app.name
