# azd preprovision hook (Windows): as entra-app.sh — the Entra app registration MCP clients sign users in against.
$ErrorActionPreference = 'Stop'
$infra = Split-Path -Parent $PSScriptRoot
if ((azd env get-value ENTRA_SIGN_IN 2>$null) -eq 'false') {
  Write-Host "ENTRA_SIGN_IN=false: no Entra app registration; the server accepts API keys only."
  azd env set ENTRA_CLIENT_ID ""
  exit 0
}

az account show *> $null
if ($LASTEXITCODE -ne 0) { Write-Error "Sign in with 'az login' first: the Entra app registration is created with the Azure CLI." }

$clientId = azd env get-value ENTRA_CLIENT_ID 2>$null
if ($LASTEXITCODE -ne 0 -or [string]::IsNullOrWhiteSpace($clientId)) {
  $envName = azd env get-value AZURE_ENV_NAME
  $clientId = az ad app create --display-name "NeuraScale MCP ($envName)" --sign-in-audience AzureADMyOrg --query appId -o tsv
  az ad sp create --id $clientId | Out-Null
  Write-Host "Created the Entra app registration $clientId."
}

$objectId = az ad app show --id $clientId --query id -o tsv
$graph = "https://graph.microsoft.com/v1.0/applications/$objectId"
az ad app update --id $clientId --identifier-uris "api://$clientId"
az rest --method PATCH --uri $graph --headers "Content-Type=application/json" --body "@$infra/entra/app-api.json" | Out-Null

$scopeId = az ad app show --id $clientId --query "api.oauth2PermissionScopes[?value=='user_impersonation'].id | [0]" -o tsv
$clients = @('aebc6443-996d-45c2-90f0-388ff96faa56', '04b07795-8ddb-461a-bbee-02f9e1bf7b46') + ((azd env get-value ENTRA_PREAUTHORIZED_CLIENT_IDS 2>$null) -split ',' | Where-Object { $_.Trim() })
$body = @{ api = @{ preAuthorizedApplications = @($clients | ForEach-Object { @{ appId = $_.Trim(); delegatedPermissionIds = @($scopeId) } }) } } | ConvertTo-Json -Depth 5 -Compress
$file = New-TemporaryFile
Set-Content -Path $file -Value $body
az rest --method PATCH --uri $graph --headers "Content-Type=application/json" --body "@$file" | Out-Null
Remove-Item $file

azd env set ENTRA_CLIENT_ID $clientId
Write-Host "Entra sign-in: client id $clientId, scope api://$clientId/user_impersonation."
