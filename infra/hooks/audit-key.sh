#!/bin/sh
# azd preprovision hook: generates the audit log's argument-hash key (256 random bits, hex) once per azd
# environment and keeps it in the environment (AUDIT_ARGUMENT_HASH_KEY), from where main.parameters.json passes it
# to Bicep, which stores it in Key Vault. Later runs keep the same key, so argument hashes stay comparable.
set -eu
if [ -z "$(azd env get-value AUDIT_ARGUMENT_HASH_KEY 2>/dev/null || true)" ]; then
  azd env set AUDIT_ARGUMENT_HASH_KEY "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
  echo "Generated AUDIT_ARGUMENT_HASH_KEY for this azd environment."
fi
