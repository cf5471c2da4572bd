#!/usr/bin/env bash
# Runs each libFuzzer target (fuzz/, docs/FUZZING.md) for SECONDS (default 60), one after
# the other, from its checked-in corpus (fuzz/corpus/TARGET, read only) plus the inputs
# earlier runs found (build-san/fuzz-corpus/TARGET, where new inputs go). Crash inputs go
# to fuzz/findings/ (not committed). Exits non-zero when any target crashed.
#
#   scripts/fuzz.sh [--keep-going] [SECONDS] [TARGET...]     targets: rpc intent genesis block room proposal
#
# --keep-going: libFuzzer's fork mode (-fork=1 -ignore_crashes=1 ...): a target goes on
# after a crash, timeout or out-of-memory and collects every crash input in fuzz/findings/
# for its whole time (without it a target stops at its first crash).
# Builds the targets first in build-san/ (scripts/sanitize.sh's configuration), -j2.
# Environment: PACTUM_SAN_BUILD_DIR (default build-san), PACTUM_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

keep_going=0
if [ "${1:-}" = "--keep-going" ]; then
  keep_going=1
  shift
fi
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(rpc intent genesis block room proposal)

BUILD_DIR=${PACTUM_SAN_BUILD_DIR:-build-san}
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
PACTUM_SAN_BUILD_ONLY=1 bash scripts/sanitize.sh "${build_targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

findings=fuzz/findings
logs="$BUILD_DIR/fuzz-logs"
mkdir -p "$findings" "$logs"
failed=()
summary=()
for t in "${targets[@]}"; do
  scratch="$BUILD_DIR/fuzz-corpus/$t"
  mkdir -p "$scratch"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
        -artifact_prefix="$findings/$t-")
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  ((keep_going)) && args+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  before=$(find "$findings" -maxdepth 1 -name "$t-*" | wc -l || true)
  echo "== fuzz_$t: ${seconds}s (log: $logs/$t.log)"
  rc=0
  "$BUILD_DIR/fuzz/fuzz_$t" "${args[@]}" "$scratch" "fuzz/corpus/$t" > "$logs/$t.log" 2>&1 || rc=$?
  after=$(find "$findings" -maxdepth 1 -name "$t-*" | wc -l || true)
  execs=$(grep -E '^stat::number_of_executed_units' "$logs/$t.log" | tail -1 | awk '{print $2}' || true)
  rate=$(grep -E '^stat::average_exec_per_sec' "$logs/$t.log" | tail -1 | awk '{print $2}' || true)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$logs/$t.log" | tail -1 || true)
  if [ -z "$execs" ]; then  # fork mode: its last status line "#RUNS: cov: C ft: F corp: N exec/s E oom/timeout/crash: a/b/c ..."
    last=$(grep -E '^#[0-9]+: cov:' "$logs/$t.log" | tail -1 || true)
    execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<< "$last" || true)
    rate=$(grep -oE 'exec/s [0-9]+' <<< "$last" | awk '{print $2}' || true)
    crashes=$(grep -oE 'oom/timeout/crash: [0-9/]+' <<< "$last" || true)
    [ -n "$crashes" ] && cov="$cov, $crashes"
  fi
  corpus=$(find "$scratch" "fuzz/corpus/$t" -type f | wc -l || true)
  line="fuzz_$t: exit $rc, ${execs:-?} runs, ${rate:-?} exec/s, ${cov:-cov ?}, corpus $corpus files, $((after - before)) new finding(s)"
  echo "   $line"
  summary+=("$line")
  if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    failed+=("$t")
    grep -E 'ERROR: |FUZZ_CHECK|SUMMARY|Test unit written|terminate called|what\(\)' "$logs/$t.log" | head -20 | sed 's/^/   | /'
  fi
done
echo
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: crashes in: ${failed[*]} (inputs in $findings/, logs in $logs/)"
  exit 1
fi
echo "fuzz: no crash"
