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
# shellcheck source=../npm_setup.sh
. ../npm_setup.sh
require_node "explorer browser test"
if [ -z "${PACTUM_BINARY:-}" ] || [ ! -x "$PACTUM_BINARY" ]; then
  echo "explorer browser test: set PACTUM_BINARY to a built pactum binary" >&2
  exit 1
fi

# playwright-core downloads nothing anyway; belt and braces.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm_deps pactum-browser-tests "$self" "$@"

args=()
if node --help | grep -q -- '--test-reporter'; then args+=(--test-reporter=tap); fi
exec node --test "${args[@]}" explorer.test.mjs
