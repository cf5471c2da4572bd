#!/usr/bin/env bash
# Metered compute end to end (issue 20): node, controller and core as separate processes
# (ctest: compute_cli_test). Each burn is real: dev account 1 (the core's own account)
# burns COMPUTE with `pactum sign --kind burn` + `pactum submit`, the block is mined
# (pactum_mine), and the controller checks the burn's evidence from the node offline
# (header chain from block 0, producer signatures, receipt proof, request hash) before it
# issues a permit. Checks units, never time:
#   1. a permit of 10 keys x 10 units, the controller stops after 6 keys: the core runs
#      exactly 60 units and stops (fallback 0);
#   2. the core restarted on its state file accepts nothing again (replay), runs 0 units;
#   3. a new burn: a new permit, the core resumes; with --fallback-permille 500 it goes on
#      at half speed (unpaid units) once the paid ones are done;
#   4. refusals, nothing issued: a forged burn id (not_found), a burn whose request names
#      another core (wrong_core), units other than the burn's (burn_invalid units), a
#      controller that trusts another producer (bad_signature), an untrusted controller
#      key (bad_signature at the core), an expired permit, the same burn for another core
#      (duplicate);
#   5. the burn's evidence saved (fetch-burn) and checked with no node (verify-burn), and
#      refused once tampered with;
#   6. SIGKILL in the middle of a rate-limited stream, restart: the two runs together
#      unlock the permit's units exactly once.
# usage: compute_cli_test.sh PACTUM_BINARY
set -euo pipefail
pactum=$1
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

keys=$("$pactum" keys dev --count 10 2>/dev/null)
secret9=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])[9]['secret'])" "$keys")
public9=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])[9]['public'])" "$keys")
public8=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])[8]['public'])" "$keys")

# The node: blocks only when mined (pactum_mine).
"$pactum" node --data-dir "$dir/data" --rpc 127.0.0.1:0 --block-time 3600000 --quiet > "$dir/node.out" 2>&1 &
pids+=($!)
for _ in $(seq 200); do
  node=$(grep -o 'rpc: http://[0-9.:]*' "$dir/node.out" | head -1 | cut -d' ' -f2 || true)
  [ -n "$node" ] && break
  sleep 0.1
done
[ -n "$node" ] || { cat "$dir/node.out"; fail "node did not start"; }

# Burns COMPUTE from dev account 1 for (core, units, nonce); prints the burn id. Mined later.
burn() {  # units, request nonce, core (default dev:1)
  "$pactum" sign --dev 1 --kind burn --asset COMPUTE --amount "$1" --core "${3:-dev:1}" --units "$1" \
    --request-nonce "$2" | "$pactum" submit --rpc "$node" -
}
mine() { "$pactum" rpc --rpc "$node" pactum_mine > /dev/null; }
settled() {  # burn id
  local s; s=$("$pactum" rpc --rpc "$node" pactum_getIntent "[\"$1\"]")
  [ "$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['status'])" "$s")" = settled ] || fail "burn $1: $s"
}

start_controller() {  # name, extra options
  local name=$1; shift
  "$pactum" compute controller --key "$secret9" --listen 127.0.0.1:0 --ledger "$dir/$name.ledger" --node "$node" "$@" \
    > "$dir/$name.out" 2> "$dir/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do
    url=$(grep -o 'listening on [0-9.:]*' "$dir/$name.out" | head -1 | cut -d' ' -f3 || true)
    [ -n "$url" ] && { url="http://$url"; return; }
    sleep 0.1
  done
  cat "$dir/$name.err"; fail "controller $name did not start"
}
# Always called in a subshell ($(...) or &): exec, so that $! is the core itself.
core() {  # burn id, state, extra options (units 100, request nonce 1 unless overridden)
  local b=$1 state=$2; shift 2
  exec "$pactum" compute core --controller "$url" --controller-key "$public9" --core dev:1 --burn-id "$b" \
    --units 100 --request-nonce 1 --length 10 --expiry-height 50 --node "$node" --state "$dir/$state" \
    --units-per-tick 7 --tick-ms 1 --idle-ticks 30 "$@"
}
refused() {  # expected text, then the core's arguments
  local want=$1 err; shift
  if err=$(core "$@" 2>&1); then fail "accepted, expected $want: $err"; fi
  case "$err" in *"$want"*) ;; *) fail "expected $want: $err" ;; esac
}

burn_a=$(burn 100 1); burn_b=$(burn 100 2); burn_d=$(burn 100 3); burn_c=$(burn 100 4)
burn_other=$(burn 100 5 dev:2)   # pays for core dev:2, not dev:1
burn_k=$(burn 4000 6); burn_p=$(burn 100 7)
mine
for b in "$burn_a" "$burn_b" "$burn_d" "$burn_c" "$burn_other" "$burn_k" "$burn_p"; do settled "$b"; done

start_controller stop6 --stop-after 6
out=$(core "$burn_a" a.state) || fail "core run 1"
[ "$(field "$out" units_paid)" = 60 ] || fail "run 1 paid units: $out"
[ "$(field "$out" units_unpaid)" = 0 ] || fail "run 1 unpaid units: $out"
[ "$(field "$out" keys_accepted)" = 6 ] || fail "run 1 keys: $out"

out=$(core "$burn_a" a.state 2>/dev/null) || fail "core run 2"
[ "$(field "$out" units_paid)" = 0 ] || fail "restart ran units again: $out"
[ "$(field "$out" keys_accepted)" = 6 ] || fail "restart keys: $out"

out=$(core "$burn_b" b.state --request-nonce 2) || fail "core run 3"
[ "$(field "$out" units_paid)" = 60 ] || fail "a new burn did not resume: $out"

out=$(core "$burn_d" d.state --request-nonce 3 --fallback-permille 500) || fail "core run with a fallback"
[ "$(field "$out" units_paid)" = 60 ] || fail "fallback run paid units: $out"
[ "$(field "$out" units_unpaid)" -gt 0 ] || fail "fallback run did not downclock to half speed: $out"

# Refusals by the controller's burn check: nothing issued.
forged=$(python3 -c "import hashlib; print(hashlib.sha256(b'no such burn').hexdigest())")
refused "not_found: burn_id: the node knows no intent $forged" "$forged" f.state
refused "wrong_core: request: the burn's request" "$burn_other" o.state --request-nonce 5
refused "burn_invalid: units: units mismatch: the burn's request is for 100 units, the permit asks for 50" \
  "$burn_c" c.state --request-nonce 4 --units 50 --length 5
for b in "$forged" "$burn_other" "$burn_c"; do
  if grep -q "$b" "$dir/stop6.ledger"; then fail "a permit was issued for refused burn $b"; fi
done

# Refusals by the core.
refused bad_signature "$burn_a" a.state --controller-key "$public8"
refused "expired at height 0" "$burn_c" c.state --request-nonce 4 --expiry-height 0
refused duplicate "$burn_a" other.state --core dev:2

# A controller that trusts another producer refuses the node's headers.
start_controller otherproducer --producer "$public8"
refused "bad_signature: headers[1]: block 1 is not signed by the producer $public8" "$burn_p" p.state --request-nonce 7
[ ! -s "$dir/otherproducer.ledger" ] || fail "a permit was issued on headers the producer did not sign"

# The evidence saved and checked with no node; then tampered with.
"$pactum" compute fetch-burn --rpc "$node" --burn-id "$burn_p" --out "$dir/burn_p.json"
ok=$("$pactum" compute verify-burn --proof "$dir/burn_p.json" --core dev:1 --units 100 --request-nonce 7) ||
  fail "verify-burn refused a good burn"
[ "$(field "$ok" amount)" = 100 ] || fail "verify-burn: $ok"
python3 -c "
import json,sys; e=json.load(open(sys.argv[1])); e['receipt']['sold']='1000'; json.dump(e,open(sys.argv[2],'w'))" \
  "$dir/burn_p.json" "$dir/forged.json"
if err=$("$pactum" compute verify-burn --proof "$dir/forged.json" --core dev:1 --units 100 --request-nonce 7 2>&1); then
  fail "verify-burn accepted a forged receipt"
fi
case "$err" in *"burn_invalid (field proof): proof: forged proof"*) ;; *) fail "forged: $err" ;; esac

start_controller rate --rate 400
core_k() { core "$burn_k" k.state --units 4000 --request-nonce 6 --length 2000 --units-per-tick 1000 "$@"; }
core_k --idle-ticks 100000 > "$dir/killed.out" 2>&1 &
victim=$!
for _ in $(seq 300); do
  [ -f "$dir/k.state" ] && break
  sleep 0.01
done
sleep 0.5
kill -9 "$victim"; wait "$victim" 2>/dev/null || true
[ -f "$dir/k.state" ] || fail "the killed core accepted nothing"
before=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accepted'])" "$dir/k.state")
[ "$before" -lt 2000 ] || fail "the stream was over before the kill"
out=$(core_k --idle-ticks 300 2>/dev/null) || fail "restart after kill"
[ "$(field "$out" keys_accepted)" = 2000 ] || fail "restart did not finish the permit: $out"
[ "$(field "$out" units_paid)" = $((4000 - before * 2)) ] || fail "units after the kill ($before keys before): $out"
echo "compute_cli_test: ok (killed after $before of 2000 keys)"
