#!/usr/bin/env bash
# A short run of the load generator against a fresh node (ctest: loadgen_smoke_test):
# the benchmark itself must keep working, end to end, as the node changes. It checks
# that every intent is accepted and settled and that the report carries its figures;
# the figures themselves are not judged (benchmarks, not timed tests).
# usage: loadgen_smoke.sh PACTUM_BINARY LOADGEN_BINARY
set -euo pipefail
pactum=$1 loadgen=$2
dir=$(mktemp -d)
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
"$pactum" node --data-dir "$dir/data" --rpc 127.0.0.1:0 --quiet > "$dir/node.log" 2>&1 &
node_pid=$!
url=""
for _ in $(seq 200); do
  url=$(grep -o 'rpc: http://[0-9.:]*' "$dir/node.log" | head -1 | cut -d' ' -f2 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "node did not start:"; cat "$dir/node.log"; exit 1; }
"$loadgen" --rpc "$url" --intents 600 --batch 50 --swap-percent 20 --node-pid "$node_pid" --timeout 60 > "$dir/out.txt"
cat "$dir/out.txt"
report=$(grep '^{' "$dir/out.txt")
for want in '"accepted":600,' '"settled":600,' '"refused":{}' '"blocks":' '"latency_p50_ms":' \
            '"verify_per_s_1thread":' '"node_cpu_us_per_intent":'; do
  case "$report" in *"$want"*) ;; *) echo "report lacks $want"; exit 1 ;; esac
done
echo "loadgen smoke: ok"
