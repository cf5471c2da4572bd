#!/usr/bin/env python3
# Writes a genesis file with N funded accounts (1,000,000 for the memory target in
# docs/PERFORMANCE.md): the devnet genesis plus N accounts holding 1 USDC each. Account
# keys are deterministic valid BIP-340 x-only keys (x < p with x^3 + 7 a square mod p).
#   python3 bench/genesis_accounts.py 1000000 /tmp/genesis-1m.json
import hashlib
import json
import os
import sys

P = 2**256 - 2**32 - 977


def main():
    n, out_path = int(sys.argv[1]), sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    base = json.load(open(os.path.join(here, "..", "genesis", "devnet.json")))
    accounts = []
    i = 0
    while len(accounts) < n:
        x = int.from_bytes(hashlib.sha256(b"perf-account-%d" % i).digest(), "big")
        i += 1
        if x >= P or pow((x * x * x + 7) % P, (P - 1) // 2, P) != 1:
            continue
        accounts.append('{"account":"%064x","balances":{"USDC":"1000000"}}' % x)
    base["chain_id"] = "pactum-mem"
    base["accounts"] = []
    text = json.dumps(base).replace('"accounts": []', '"accounts": [' + ",".join(accounts) + "]")
    with open(out_path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
