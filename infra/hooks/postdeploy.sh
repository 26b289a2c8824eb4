#!/bin/sh
# azd postdeploy: subscribe the jobs app's IngestCapture trigger (a blob trigger with the Event Grid source) to the
# storage account's BlobCreated events for Capture files. It needs the app's blobs_extension system key, which exists
# only once the deployed app has started — hence after deploy, not in Bicep. Idempotent: the topic is created once,
# the subscription is created or updated.
set -eu
value() { azd env get-value "$1" 2>/dev/null || true; }
rg="$(value AZURE_RESOURCE_GROUP)"
app="$(value JOBS_APP_NAME)"
host="$(value JOBS_APP_HOST)"
account="$(value STORAGE_ACCOUNT_NAME)"
if [ -z "$rg" ] || [ -z "$app" ] || [ -z "$host" ] || [ -z "$account" ]; then
  echo "postdeploy: AZURE_RESOURCE_GROUP, JOBS_APP_NAME, JOBS_APP_HOST and STORAGE_ACCOUNT_NAME must be set; 'azd provision' sets them." >&2
  exit 1
fi

key="$(az functionapp keys list --resource-group "$rg" --name "$app" --query systemKeys.blobs_extension --output tsv 2>/dev/null || true)"
if [ -z "$key" ]; then
  echo "postdeploy: the jobs app $app has no blobs_extension key yet (its IngestCapture trigger has not started). Wait a minute and run 'azd hooks run postdeploy'." >&2
  exit 1
fi

topic="evgt-$account"
if ! az eventgrid system-topic show --resource-group "$rg" --name "$topic" >/dev/null 2>&1; then
  storage_id="$(az storage account show --resource-group "$rg" --name "$account" --query id --output tsv)"
  az eventgrid system-topic create --resource-group "$rg" --name "$topic" --location "$(value AZURE_LOCATION)" \
    --topic-type Microsoft.Storage.StorageAccounts --source "$storage_id" --output none
fi

az eventgrid system-topic event-subscription create --resource-group "$rg" --system-topic-name "$topic" --name ingest-capture \
  --endpoint-type webhook \
  --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.IngestCapture&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/capture/ --subject-ends-with .avro \
  --max-delivery-attempts 30 --event-ttl 1440 --output none
echo "postdeploy: Capture files in $account/capture now trigger IngestCapture on $app."
