#!/usr/bin/env bash
# Follower catch-up against `pactum replay` on the same chain (docs/PERFORMANCE.md,
# "Followers (issue 22)"). For a data directory D: `pactum replay` on it, then a leader
# serving D (no new blocks) and a follower with a fresh data directory catching it up;
# the follower's own log line gives blocks and intents verified per second, and the wall
# time from the follower's start to its nodeInfo height equal to the leader's is printed
# too. Leader and follower share the machine's cores.
# usage: follower_catchup.sh PACTUM_BINARY DATA_DIR [RUNS]
set -euo pipefail
pactum=$1 chain=$2 runs=${3:-2}
dir=$(mktemp -d ${FOLLOWER_TMP:+-p $FOLLOWER_TMP})
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

rpc_url() {  # log file -> the node's URL
  local url=""
  for _ in $(seq 300); do
    url=$(grep -o 'rpc: http://[0-9.:]*' "$1" | head -1 | cut -d' ' -f2 || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  echo "$url"
}
height() { "$pactum" rpc --rpc "$1" pactum_blockNumber; }

for run in $(seq "$runs"); do
  echo "== replay, run $run"
  "$pactum" replay --quiet --data-dir "$chain" | grep -E 'blocks|intents|seconds'
done

"$pactum" node --data-dir "$chain" --rpc 127.0.0.1:0 --quiet > "$dir/leader.log" 2>&1 &
pids+=($!)
leader=$(rpc_url "$dir/leader.log")
target=$(height "$leader")
for run in $(seq "$runs"); do
  echo "== follower, run $run (leader at block $target)"
  start=$(date +%s.%N)
  "$pactum" node --data-dir "$dir/f$run" --rpc 127.0.0.1:0 --quiet --follow "$leader" > "$dir/f$run.log" 2>&1 &
  pid=$!
  pids+=($pid)
  follower=$(rpc_url "$dir/f$run.log")
  until [ "$(height "$follower")" = "$target" ]; do sleep 0.02; done
  end=$(date +%s.%N)
  grep 'caught up' "$dir/f$run.log" || true
  echo "wall from start to head: $(echo "$end - $start" | bc) s"
  [ "$("$pactum" rpc --rpc "$follower" pactum_nodeInfo | grep -o '"head":"[0-9a-f]*"')" = \
    "$("$pactum" rpc --rpc "$leader" pactum_nodeInfo | grep -o '"head":"[0-9a-f]*"')" ] || { echo "heads differ"; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
