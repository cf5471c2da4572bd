#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (docs/FUZZING.md):
# configures build-san/ with clang 14 (-DPACTUM_SANITIZE=ON -DPACTUM_FUZZ=ON, -O1 with
# line tables, asserts on), builds everything but the benchmarks (the pactum binary, every
# unit and system test, the libFuzzer targets), and runs ctest there: the unit and system
# tests, then each fuzz target over its checked-in corpus plus a few seconds of mutation
# (fuzz_*_smoke). Any sanitizer report, leak or crash fails the run.
#
# Left out: js_client_test and explorer_browser_test (Node.js and Chromium drive the
# pactum binary: the same binary paths as system_test, at several times the cost under
# ASan), and the benchmarks (-DPACTUM_BENCH=OFF: loadgen_smoke_test, quality_smoke).
#
#   scripts/sanitize.sh [ctest arguments...]      e.g. -R system_test
#   PACTUM_SAN_BUILD_ONLY=1 scripts/sanitize.sh [TARGET...]   configure and build only (scripts/fuzz.sh)
# Environment: PACTUM_SAN_BUILD_DIR (default build-san), PACTUM_JOBS (default 2),
#              PACTUM_FUZZ_SMOKE_SECONDS (default 15, seconds of mutation per fuzz target).
set -euo pipefail
cd "$(dirname "$0")/.."

# clang 14 and its libFuzzer/sanitizer runtimes (Debian 12); scripts/setup.sh installs the rest.
PACKAGES=(clang-14 libclang-rt-14-dev llvm-14)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "sanitize: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${PACTUM_SAN_BUILD_DIR:-build-san}
JOBS=${PACTUM_JOBS:-2}
cmake -S . -B "$BUILD_DIR" \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DPACTUM_SANITIZE=ON -DPACTUM_FUZZ=ON -DPACTUM_BENCH=OFF -DPACTUM_WERROR=OFF \
  -DPACTUM_FUZZ_SMOKE_SECONDS="${PACTUM_FUZZ_SMOKE_SECONDS:-15}" > /dev/null
if [ -n "${PACTUM_SAN_BUILD_ONLY:-}" ]; then
  targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$BUILD_DIR" -j"$JOBS" "${targets[@]}"
  exit 0
fi
cmake --build "$BUILD_DIR" -j"$JOBS"

# Every report is fatal; leaks are reported at exit (LeakSanitizer works in this
# environment: it needs ptrace-like access to the process's own threads).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure -j1 -E '^(js_client_test|explorer_browser_test)$' "$@"
