#!/usr/bin/env bash
# Quick start, command 1: install, build, and start a devnet node on the embedded
# genesis (JSON-RPC and WebSocket on http://127.0.0.1:8545, data in ./pactum-data).
# Extra arguments go to `pactum node`, e.g. --block-time 1000 or --rpc 127.0.0.1:9000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec ./build/cli/pactum node "$@"
