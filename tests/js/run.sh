#!/usr/bin/env bash
# Runs the independent JavaScript client's tests (docs/PROTOCOL.md vectors; live node
# checks when PACTUM_BINARY points to a built pactum binary).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node --test "$@"
