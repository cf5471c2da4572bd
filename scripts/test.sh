#!/usr/bin/env bash
# Quick start, command 2: install, build, check the format and size rules, and run the
# whole test suite (unit, protocol
# vectors, properties, and integration tests against the real binary); then the same
# suite built with AddressSanitizer + UndefinedBehaviorSanitizer, with a short run of
# every fuzz target over its corpus (scripts/sanitize.sh, docs/FUZZING.md).
#   PACTUM_SANITIZE=0 scripts/test.sh     the first part only
# Arguments go to both ctest runs (e.g. -R system_test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The house rules first (seconds): formatted as .clang-format says, no file over 600
# lines, no function over 80.
bash scripts/format.sh --check
bash scripts/check_sizes.sh
ctest --test-dir "${PACTUM_BUILD_DIR:-build}" --output-on-failure -j1 "$@"
if [ "${PACTUM_SANITIZE:-1}" != 0 ]; then
  bash scripts/sanitize.sh "$@"
fi
