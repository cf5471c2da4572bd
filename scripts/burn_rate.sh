#!/usr/bin/env bash
# Burns settled per second through the node (docs/PERFORMANCE.md, metered compute): signs
# N burns of COMPUTE (dev accounts 0..9 in turn, each for core dev:1 with its own request
# nonce), submits them in JSON-RPC batches of 1,000, then mines one block (pactum_mine) and
# times the submission and the block separately. usage: burn_rate.sh PACTUM [N]
set -euo pipefail
pactum=$1
n=${2:-1000}
dir=$(mktemp -d)
node_pid=
cleanup() { [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
"$pactum" node --data-dir "$dir/data" --rpc 127.0.0.1:0 --block-time 3600000 --quiet > "$dir/node.out" 2>&1 &
node_pid=$!
for _ in $(seq 200); do
  node=$(grep -o 'rpc: http://[0-9.:]*' "$dir/node.out" | head -1 | cut -d' ' -f2 || true)
  [ -n "$node" ] && break
  sleep 0.1
done
# One file per 1,000 burns (the node's JSON-RPC batch limit).
for i in $(seq 1 "$n"); do
  "$pactum" sign --dev $((i % 10)) --kind burn --asset COMPUTE --amount 10 --core dev:1 --units 10 \
    --request-nonce "$i" >> "$dir/burns_$(((i - 1) / 1000)).jsonl"
done
for f in "$dir"/burns_*.jsonl; do
  python3 -c "import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))" "$f" > "${f%.jsonl}.json"
done
now() { date +%s%N; }
t0=$(now)
for f in "$dir"/burns_*.json; do "$pactum" submit --rpc "$node" "$f" > /dev/null; done
t1=$(now)
"$pactum" rpc --rpc "$node" pactum_mine > "$dir/mined.json"
t2=$(now)
settled=$("$pactum" rpc --rpc "$node" pactum_getBurns '{"limit": 1}' | python3 -c "import json,sys; print(json.load(sys.stdin)['total'])")
python3 - "$n" "$settled" "$t0" "$t1" "$t2" <<'PY'
import sys
n, settled, t0, t1, t2 = (int(x) for x in sys.argv[1:])
sub, blk = (t1 - t0) / 1e9, (t2 - t1) / 1e9
print(f"burns {n}, settled {settled}: submit {sub:.3f} s ({n / sub:,.0f}/s), "
      f"block {blk:.3f} s ({settled / blk:,.0f}/s), together {settled / (sub + blk):,.0f}/s")
PY
