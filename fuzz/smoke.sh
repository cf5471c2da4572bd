#!/usr/bin/env bash
# CI's brief run of one fuzz target (registered by fuzz/CMakeLists.txt as ctest
# fuzz_<target>_smoke): every input of fuzz/corpus/<target> once, then SECONDS of mutation
# from a fixed seed. New inputs go to a scratch directory (removed after), never into
# the checked-in corpus. A crash exits non-zero; its input is kept in fuzz/findings/.
#   smoke.sh BINARY TARGET [SECONDS]
set -euo pipefail
binary=$1
target=$2
seconds=${3:-15}
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$here/corpus/$target"
findings="$here/findings"
mkdir -p "$findings"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pactum-fuzz-smoke-$target.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
dict=()
[ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
# Sanitizer reports abort the process; leaks are checked (LeakSanitizer) after the run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$binary" "${dict[@]}" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$findings/$target-" "$scratch" "$corpus"
