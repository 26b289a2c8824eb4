// The data path from the edge relays: an Event Hubs namespace and hub, with Capture writing Avro files to the storage
// account's capture container (the jobs app's IngestCapture trigger ingests them). Sized for 100 relays × 64 channels
// × 1 kHz (docs/event-hubs.md):
//   ingress 100 × 64 × 1000 × 4 B ≈ 25.6 MB/s + framing ≈ 26 MB/s, 100 events/s (one per one-second chunk);
//   Standard tier: 1 MB/s (or 1,000 events/s) in per throughput unit, so ≈ 27 TUs at full load — start at
//   `throughputUnits` and let auto-inflate grow to `maximumThroughputUnits` (40, the Standard limit) as relays connect;
//   32 partitions (the Standard maximum, fixed at creation): a partition takes ≤ 1 MB/s, and 100 sessions hashed over
//   32 partitions put ≈ 3 × 256 kB/s = 0.8 MB/s on each;
//   retention 1 day: Capture is the durable copy; a day covers an ingest outage and lets a consumer replay;
//   Capture every 60 s (its minimum: live data comes from the relay's mirror) or 300 MB, empty windows skipped.
param namespaceName string
param location string
param tags object
param storageAccountName string
param captureContainerName string

@description('Throughput units to start with (auto-inflate raises them with load).')
@minValue(1)
@maxValue(40)
param throughputUnits int = 2

@minValue(1)
@maxValue(40)
param maximumThroughputUnits int = 40

@description('Object id of the relays\' identity (an app registration\'s service principal, or an Arc machine\'s managed identity): granted Event Hubs Data Sender on the hub only. Empty to skip.')
param relayPrincipalId string = ''

@description('Also create a send-only SAS policy (the documented fallback for relays that cannot use Entra ID). Its key is never put in app settings.')
param sendOnlySasPolicy bool = false

var hubName = 'neural-chunks'
var roles = {
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: throughputUnits }
  identity: { type: 'SystemAssigned' }
  properties: {
    isAutoInflateEnabled: true
    maximumThroughputUnits: maximumThroughputUnits
    // Entra ID only, unless the SAS fallback was asked for.
    disableLocalAuth: !sendOnlySasPolicy
    minimumTlsVersion: '1.2'
  }
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource captureContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  name: '${storageAccountName}/default/${captureContainerName}'
}

// Capture writes with the namespace's own identity, to the capture container only.
resource captureWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(captureContainer.id, namespace.id, roles.storageBlobDataContributor)
  scope: captureContainer
  properties: {
    principalId: namespace.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: 32
    messageRetentionInDays: 1
    captureDescription: {
      enabled: true
      encoding: 'Avro'
      intervalInSeconds: 60
      sizeLimitInBytes: 314572800
      skipEmptyArchives: true
      destination: {
        name: 'EventHubArchive.AzureBlockBlob'
        identity: { type: 'SystemAssigned' }
        properties: {
          storageAccountResourceId: account.id
          blobContainer: captureContainerName
          archiveNameFormat: '{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}'
        }
      }
    }
  }
  dependsOn: [captureWriter]
}

resource relaySender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(relayPrincipalId)) {
  name: guid(hub.id, relayPrincipalId, roles.eventHubsDataSender)
  scope: hub
  properties: {
    principalId: relayPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataSender)
  }
}

resource sendOnly 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2024-01-01' = if (sendOnlySasPolicy) {
  parent: hub
  name: 'relay-send-only'
  properties: { rights: ['Send'] }
}

@description('What a relay sets as EventHubs:FullyQualifiedNamespace.')
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output eventHubName string = hub.name
