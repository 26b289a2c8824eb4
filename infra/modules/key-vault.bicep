// Key Vault for the apps' secrets (RBAC only, no access policies): today the key of the audit log's argument hash.
// The apps read it through a Key Vault reference in their app settings, as the user-assigned identity.
param name string
param location string
param tags object

@description('Principal (the apps\' identity) granted Key Vault Secrets User: read secret values, nothing else.')
param readerPrincipalId string

@secure()
@minLength(32)
@description('HMAC key of the audit log\'s argument hash (generated once per azd environment by the preprovision hook).')
param auditArgumentHashKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    // Soft delete (always on) keeps a deleted secret recoverable for 7 days; no purge protection, so that
    // `azd down --purge` and a fresh `azd up` under the same environment name work.
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource auditKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'audit-argument-hash-key'
  properties: {
    value: auditArgumentHashKey
    contentType: 'HMAC-SHA256 key of tool-call argument hashes in the audit log'
  }
}

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

output name string = vault.name
// Versionless: the apps pick up a rotated key when they next read their settings.
output auditKeySecretUri string = '${vault.properties.vaultUri}secrets/${auditKey.name}'
