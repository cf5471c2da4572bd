#!/usr/bin/env bash
# Runs the independent JavaScript client's tests: the docs/PROTOCOL.md vectors, and the live
# checks against a real node when PACTUM_BINARY points to a built pactum binary (ctest's
# js_client_test sets it). Needs Node.js >= 18 and npm (scripts/setup.sh installs them).
# Dependencies come from package-lock.json via `npm ci` (the npm registry is the only
# network access); they are reinstalled only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")"
self="$PWD/$(basename "$0")"

if ! command -v node > /dev/null 2>&1; then
  echo "js tests: node is not installed (run scripts/setup.sh)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "js tests: Node.js $(node --version) is too old; 18 or later is needed" >&2
  exit 1
fi

# Two concurrent runs (two build directories) must not reinstall under each other's feet.
if command -v flock > /dev/null 2>&1 && [ -z "${PACTUM_JS_LOCKED:-}" ]; then
  export PACTUM_JS_LOCKED=1
  exec flock "${TMPDIR:-/tmp}/pactum-js-tests-$(id -u).lock" "$self" "$@"
fi

stamp=node_modules/.pactum-package-lock.json
if ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# TAP output ends with "# tests N", "# pass N", "# fail N" whatever the terminal is.
args=()
if node --help | grep -q -- '--test-reporter'; then args+=(--test-reporter=tap); fi
if [ "$#" -eq 0 ]; then set -- vectors.test.mjs live.test.mjs; fi
exec node --test "${args[@]}" "$@"
