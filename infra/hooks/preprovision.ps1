# azd preprovision (Windows): the audit key, then the Entra app registration (both idempotent).
$ErrorActionPreference = 'Stop'
& "$PSScriptRoot/audit-key.ps1"
& "$PSScriptRoot/entra-app.ps1"
