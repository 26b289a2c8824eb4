#!/bin/sh
# azd preprovision: the audit key, then the Entra app registration (both idempotent).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
sh "$here/audit-key.sh"
sh "$here/entra-app.sh"
