// What the edge relays may do in the storage account, and nothing more (docs/deployment.md):
//   - Blob Data Contributor on the signals container only: the live mirror and the claim-check store chunk blobs and
//     manifests there (docs/event-hubs.md); no other container (exports, uploads, audit, capture) is theirs;
//   - Table Data Contributor on the four tables they write: sessions (the mirror's catalog entries), relays (presence),
//     devices (their devices' state), commands (outcomes) — not patients, apikeys, jobs, ratelimits;
//   - Queue Data Contributor on the account: each relay creates and reads its own command queue (relay-<id>) when it
//     registers, so the queues do not exist at deployment to be scoped to.
param storageAccountName string
param signalsContainerName string
param relayPrincipalId string

var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}
var relayTables = ['sessions', 'relays', 'devices', 'commands']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource signals 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: signalsContainerName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' existing = [for table in relayTables: {
  parent: tableService
  name: table
}]

resource signalsWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signals.id, relayPrincipalId, roles.storageBlobDataContributor)
  scope: signals
  properties: {
    principalId: relayPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource tableWriters 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (table, i) in relayTables: {
  name: guid(tables[i].id, relayPrincipalId, roles.storageTableDataContributor)
  scope: tables[i]
  properties: {
    principalId: relayPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}]

resource queueUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, relayPrincipalId, roles.storageQueueDataContributor)
  scope: account
  properties: {
    principalId: relayPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}
