#!/bin/sh
# azd preprovision hook: the Entra ID app registration MCP clients sign users in against (OAuth 2.1 authorization
# code + PKCE, as the MCP authorization spec asks). Created once per azd environment, updated on every run:
#   - an API scope 'user_impersonation' (the scope the server's Protected Resource Metadata advertises), v2 tokens;
#   - app roles whose values are the server's role names (infra/entra/app-api.json); assign users to them in
#     Enterprise applications → the app → Users and groups, and their tokens carry the roles the server maps to
#     permissions;
#   - pre-authorised clients: Visual Studio Code (its MCP client) and the Azure CLI (scripts/verify-deployment --az)
#     by default, plus ENTRA_PREAUTHORIZED_CLIENT_IDS (comma-separated).
# The client id goes to ENTRA_CLIENT_ID, from where main.parameters.json passes it to Bicep, which sets the MCP app's
# Security:Jwt settings. Set ENTRA_SIGN_IN=false to deploy with API keys only (no app registration is touched).
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(azd env get-value ENTRA_SIGN_IN 2>/dev/null || true)" = "false" ]; then
  echo "ENTRA_SIGN_IN=false: no Entra app registration; the server accepts API keys only."
  azd env set ENTRA_CLIENT_ID ""
  exit 0
fi

if ! az account show >/dev/null 2>&1; then
  echo "Sign in with 'az login' first: the Entra app registration is created with the Azure CLI." >&2
  exit 1
fi

client_id="$(azd env get-value ENTRA_CLIENT_ID 2>/dev/null || true)"
if [ -z "$client_id" ]; then
  env_name="$(azd env get-value AZURE_ENV_NAME)"
  client_id="$(az ad app create --display-name "NeuraScale MCP ($env_name)" --sign-in-audience AzureADMyOrg --query appId -o tsv)"
  az ad sp create --id "$client_id" >/dev/null
  echo "Created the Entra app registration $client_id."
fi

object_id="$(az ad app show --id "$client_id" --query id -o tsv)"
graph="https://graph.microsoft.com/v1.0/applications/$object_id"
az ad app update --id "$client_id" --identifier-uris "api://$client_id"
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" --body "@$here/entra/app-api.json" >/dev/null

# Clients allowed to ask for the scope without a consent prompt (VS Code's MCP client, then any configured).
scope_id="$(az ad app show --id "$client_id" --query "api.oauth2PermissionScopes[?value=='user_impersonation'].id | [0]" -o tsv)"
clients="aebc6443-996d-45c2-90f0-388ff96faa56,04b07795-8ddb-461a-bbee-02f9e1bf7b46,$(azd env get-value ENTRA_PREAUTHORIZED_CLIENT_IDS 2>/dev/null || true)"
entries=""
for id in $(echo "$clients" | tr ',' ' '); do
  entries="$entries${entries:+,}{\"appId\":\"$id\",\"delegatedPermissionIds\":[\"$scope_id\"]}"
done
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" \
  --body "{\"api\":{\"preAuthorizedApplications\":[$entries]}}" >/dev/null

azd env set ENTRA_CLIENT_ID "$client_id"
echo "Entra sign-in: client id $client_id, scope api://$client_id/user_impersonation."
