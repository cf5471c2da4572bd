#!/usr/bin/env bash
# Runs the independent JavaScript client's tests: the docs/PROTOCOL.md vectors, and the live
# checks against a real node when PACTUM_BINARY points to a built pactum binary (ctest's
# js_client_test sets it). Needs Node.js >= 18 and npm (scripts/setup.sh installs them).
# Dependencies come from package-lock.json via `npm ci` (the npm registry is the only
# network access); they are reinstalled only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")"
self="$PWD/$(basename "$0")"

# shellcheck source=../npm_setup.sh
. ../npm_setup.sh
require_node "js tests"
npm_deps pactum-js-tests "$self" "$@"

# TAP output ends with "# tests N", "# pass N", "# fail N" whatever the terminal is.
args=()
if node --help | grep -q -- '--test-reporter'; then args+=(--test-reporter=tap); fi
if [ "$#" -eq 0 ]; then set -- vectors.test.mjs live.test.mjs; fi
exec node --test "${args[@]}" "$@"
