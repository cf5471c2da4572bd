#!/usr/bin/env bash
# Installs what pactum needs from Debian 12 packages, idempotently and without prompts,
# then configures and builds it in ./build. Safe to run again: it installs only what is
# missing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the headless browser of the explorer's end-to-end test (tests/browser).
# clang-format-14 and universal-ctags: the format and size checks (scripts/format.sh,
# scripts/check_sizes.sh). python3-pulp and coinor-cbc: the reference external solver
# (solvers/reference) and its tests.
PACKAGES=(build-essential cmake pkg-config libboost1.81-dev libsecp256k1-dev librocksdb-dev
          nlohmann-json3-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libglpk-dev
          chromium clang-format-14 universal-ctags python3-pulp coinor-cbc)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js runs the independent JavaScript client's tests (tests/js, ctest js_client_test).
# Debian 12's nodejs (18) is enough; an existing node (any source, e.g. nvm) is left alone.
if ! command -v node > /dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${PACTUM_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
