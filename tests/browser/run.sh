#!/usr/bin/env bash
# Runs the block explorer's end-to-end test: a real `pactum node` (PACTUM_BINARY, set by
# ctest's explorer_browser_test), real signed intents, and the page at GET / in the
# system's headless Chromium (Debian package `chromium`, installed by scripts/setup.sh)
# driven by playwright-core. playwright-core comes pinned from package-lock.json via
# `npm ci` (the npm registry is the only network access; no browser is downloaded).
# Exit status 77 (ctest: skipped) only when Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")"
self="$PWD/$(basename "$0")"

export PACTUM_CHROMIUM=${PACTUM_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$PACTUM_CHROMIUM" ]; then
  echo "explorer browser test: SKIPPED: $PACTUM_CHROMIUM not found (scripts/setup.sh installs the chromium package)" >&2
  exit 77
fi
if ! command -v node > /dev/null 2>&1; then
  echo "explorer browser test: node is not installed (run scripts/setup.sh)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "explorer browser test: Node.js $(node --version) is too old; 18 or later is needed" >&2
  exit 1
fi
if [ -z "${PACTUM_BINARY:-}" ] || [ ! -x "$PACTUM_BINARY" ]; then
  echo "explorer browser test: set PACTUM_BINARY to a built pactum binary" >&2
  exit 1
fi

# Two concurrent runs must not reinstall under each other's feet.
if command -v flock > /dev/null 2>&1 && [ -z "${PACTUM_BROWSER_LOCKED:-}" ]; then
  export PACTUM_BROWSER_LOCKED=1
  exec flock "${TMPDIR:-/tmp}/pactum-browser-tests-$(id -u).lock" "$self" "$@"
fi

stamp=node_modules/.pactum-package-lock.json
if ! cmp -s package-lock.json "$stamp"; then
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing anyway; belt and braces.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

args=()
if node --help | grep -q -- '--test-reporter'; then args+=(--test-reporter=tap); fi
exec node --test "${args[@]}" explorer.test.mjs
