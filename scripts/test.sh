#!/usr/bin/env bash
# Quick start, command 2: install, build, and run the whole test suite (unit, protocol
# vectors, properties, and integration tests against the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir "${PACTUM_BUILD_DIR:-build}" --output-on-failure -j1 "$@"
