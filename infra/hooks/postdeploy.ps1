# azd postdeploy (Windows): subscribe the jobs app's IngestCapture trigger to BlobCreated events for Capture files.
# The same steps as postdeploy.sh; see there for why this runs after deploy.
$ErrorActionPreference = 'Stop'
function Value($name) { $v = azd env get-value $name 2>$null; if ($LASTEXITCODE -ne 0) { '' } else { $v } }
$rg = Value 'AZURE_RESOURCE_GROUP'; $app = Value 'JOBS_APP_NAME'; $appHost = Value 'JOBS_APP_HOST'; $account = Value 'STORAGE_ACCOUNT_NAME'
if (-not $rg -or -not $app -or -not $appHost -or -not $account) {
  Write-Error "postdeploy: AZURE_RESOURCE_GROUP, JOBS_APP_NAME, JOBS_APP_HOST and STORAGE_ACCOUNT_NAME must be set; 'azd provision' sets them."
}
$key = az functionapp keys list --resource-group $rg --name $app --query systemKeys.blobs_extension --output tsv 2>$null
if (-not $key) {
  Write-Error "postdeploy: the jobs app $app has no blobs_extension key yet (its IngestCapture trigger has not started). Wait a minute and run 'azd hooks run postdeploy'."
}
$topic = "evgt-$account"
az eventgrid system-topic show --resource-group $rg --name $topic *> $null
if ($LASTEXITCODE -ne 0) {
  $storageId = az storage account show --resource-group $rg --name $account --query id --output tsv
  az eventgrid system-topic create --resource-group $rg --name $topic --location (Value 'AZURE_LOCATION') --topic-type Microsoft.Storage.StorageAccounts --source $storageId --output none
}
az eventgrid system-topic event-subscription create --resource-group $rg --system-topic-name $topic --name ingest-capture `
  --endpoint-type webhook `
  --endpoint "https://$appHost/runtime/webhooks/blobs?functionName=Host.Functions.IngestCapture&code=$key" `
  --included-event-types Microsoft.Storage.BlobCreated `
  --subject-begins-with /blobServices/default/containers/capture/ --subject-ends-with .avro `
  --max-delivery-attempts 30 --event-ttl 1440 --output none
Write-Output "postdeploy: Capture files in $account/capture now trigger IngestCapture on $app."
