# azd preprovision hook (Windows): as audit-key.sh — a 256-bit hex key once per azd environment.
$existing = azd env get-value AUDIT_ARGUMENT_HASH_KEY 2>$null
if ($LASTEXITCODE -ne 0 -or [string]::IsNullOrWhiteSpace($existing)) {
  $bytes = [byte[]]::new(32)
  [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
  azd env set AUDIT_ARGUMENT_HASH_KEY ([Convert]::ToHexString($bytes).ToLowerInvariant())
  Write-Host "Generated AUDIT_ARGUMENT_HASH_KEY for this azd environment."
}
