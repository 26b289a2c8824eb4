// NeuraScale Functions: everything `azd up` provisions.
// Storage (private containers, tables, queues), a user-assigned managed identity with least-privilege data roles,
// Application Insights, the MCP server as a self-hosted MCP server on Functions Flex Consumption, and the job app.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; used in resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Object id of the deploying user; granted data access for local debugging against Azure. Empty to skip.')
param principalId string = ''

@secure()
@minLength(32)
@description('HMAC key of the audit log\'s argument hash; the preprovision hook in azure.yaml generates it once per azd environment (AUDIT_ARGUMENT_HASH_KEY).')
param auditArgumentHashKey string

@description('Client id of the Entra app registration users sign in against (set by the preprovision hook); empty: API keys only.')
param entraClientId string = ''

@description('Object id of the edge relays\' identity (service principal of their app registration); granted Event Hubs Data Sender on the hub and the storage it writes (relay-storage-roles.bicep). Empty to skip.')
param relayPrincipalId string = ''

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var mcpAppName = 'func-neurascale-mcp-${token}'
var mcpHostName = '${mcpAppName}.azurewebsites.net'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-neurascale-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-neurascale-${token}'
    appInsightsName: 'appi-neurascale-${token}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
    relayPrincipalId: relayPrincipalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-ns-${take(token, 17)}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    auditArgumentHashKey: auditArgumentHashKey
  }
}

// Sign-in with Entra ID (OAuth 2.1 for MCP clients): v2 tokens from this tenant for the app registration, the
// scope its Protected Resource Metadata advertises; app roles carry the caller's roles. None when keys only.
var signInSettings = empty(entraClientId) ? {} : {
  NEURASCALE_Security__Jwt__Authority: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  NEURASCALE_Security__Jwt__Audience: entraClientId
  NEURASCALE_Security__Jwt__Scopes__0: 'api://${entraClientId}/user_impersonation'
}

// Settings both apps share: the audit key from Key Vault (never in app settings or the repo).
var sharedSettings = {
  NEURASCALE_Audit__ArgumentHashKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.auditKeySecretUri})'
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stneurascale${take(token, 12)}'
    location: location
    tags: tags
  }
}

// The relays' data path: Event Hubs with Capture into the storage account (docs/event-hubs.md).
module eventHubs 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  scope: rg
  params: {
    namespaceName: 'evhns-neurascale-${token}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    captureContainerName: storage.outputs.captureContainer
    relayPrincipalId: relayPrincipalId
  }
}

// The relays' storage: the signals container, the four tables they write, their command queues.
module relayStorageRoles 'modules/relay-storage-roles.bicep' = if (!empty(relayPrincipalId)) {
  name: 'relay-storage-roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    signalsContainerName: storage.outputs.signalsContainer
    relayPrincipalId: relayPrincipalId
  }
}

module storageRoles 'modules/storage-roles.bicep' = {
  name: 'storage-roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
}

module developerRoles 'modules/storage-roles.bicep' = if (!empty(principalId)) {
  name: 'developer-storage-roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: principalId
    principalType: 'User'
  }
}

// The MCP server as a self-hosted MCP server: a custom handler (root host.json, configurationProfile
// mcp-custom-handler) running NeuraScale.Mcp.dll, stateless Streamable HTTP at /mcp. Runtime dotnet-isolated 10.0, as
// the Azure self-hosted MCP samples for .NET declare it: the instance then carries the .NET 10 shared framework the
// framework-dependent DLL needs (a 'custom' worker guarantees none).
module mcp 'modules/flex-app.bicep' = {
  name: 'mcp-app'
  scope: rg
  params: {
    name: mcpAppName
    planName: 'plan-neurascale-mcp-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'mcp' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${storage.outputs.deploymentContainer}'
    appInsightsConnectionString: monitoring.outputs.connectionString
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    sharedSettings: sharedSettings
    signInSettings: signInSettings
    settings: {
      AzureWebJobsFeatureFlags: 'EnableMcpCustomHandlerPreview'
      // The app's own host name, and loopback for the Functions host proxying to the handler on the same instance;
      // browser origins are allowed explicitly, never loopback in Azure.
      NEURASCALE_AllowedHosts: '${mcpHostName};localhost;127.0.0.1'
      NEURASCALE_Http__AllowLoopbackOrigins: 'false'
      // Resource URIs in metadata and challenges are the public https ones, and the client's address and scheme come
      // from the Functions host's forwarded headers (trusted from loopback only).
      NEURASCALE_Http__PublicBaseUrl: 'https://${mcpHostName}'
      NEURASCALE_Http__TrustForwardedHeaders: 'true'
      // Export jobs are run by the job app's Queue trigger, not by the server.
      NEURASCALE_Jobs__RunInProcess: 'false'
      // Protocol runs: this app starts and follows them in the task hub; Durable Functions in the jobs app runs them.
      NEURASCALE_Workflows__RunWorker: 'false'
    }
  }
  dependsOn: [storageRoles]
}

// The job app: the isolated-worker Queue trigger over the job service (exports), identity-based queue connection.
module jobs 'modules/flex-app.bicep' = {
  name: 'jobs-app'
  scope: rg
  params: {
    name: 'func-neurascale-jobs-${token}'
    planName: 'plan-neurascale-jobs-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'jobs' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${storage.outputs.jobsDeploymentContainer}'
    appInsightsConnectionString: monitoring.outputs.connectionString
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    // A 64-channel hour streams through two blocks of samples and an 8 MB upload buffer: 2 GB instances suffice.
    sharedSettings: sharedSettings
    settings: {
      JobsQueue__queueServiceUri: storage.outputs.queueEndpoint
      JobsQueue__credential: 'managedidentity'
      JobsQueue__clientId: identity.outputs.clientId
      // The IngestCapture trigger's connection (Event Grid source; the queue endpoint is where the extension keeps its poison messages).
      CaptureStorage__blobServiceUri: storage.outputs.blobEndpoint
      CaptureStorage__queueServiceUri: storage.outputs.queueEndpoint
      CaptureStorage__credential: 'managedidentity'
      CaptureStorage__clientId: identity.outputs.clientId
    }
  }
  dependsOn: [storageRoles]
}

output ENTRA_AUTHORITY string = empty(entraClientId) ? '' : '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
output AZURE_LOCATION string = location
output EVENT_HUBS_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output EVENT_HUB_NAME string = eventHubs.outputs.eventHubName
// For the relays' own telemetry (APPLICATIONINSIGHTS_CONNECTION_STRING on the relay machine): not a secret, as the
// resource takes Entra tokens only.
output RELAY_APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output JOBS_APP_NAME string = jobs.outputs.name
output JOBS_APP_HOST string = jobs.outputs.defaultHostName
output AZURE_RESOURCE_GROUP string = rg.name
output MCP_ENDPOINT string = 'https://${mcp.outputs.defaultHostName}/mcp'
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
