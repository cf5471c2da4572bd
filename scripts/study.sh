#!/usr/bin/env bash
# One command, one study: a chain generated from SEED (pactum scenario), replayed and
# re-run under the batch, fcfs and adversarial sequencing rules (pactum analyze).
#   scripts/study.sh SEED OUT_DIR [BLOCKS] [AGENTS]
# Writes OUT_DIR/chain (the data directory) and OUT_DIR/report (CSV, JSON, report.html).
# The same arguments give byte-identical reports.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/study.sh SEED OUT_DIR [BLOCKS=60] [AGENTS=48]" >&2
  exit 2
fi
seed=$1 out=$2 blocks=${3:-60} agents=${4:-48}
root="$(cd "$(dirname "$0")/.." && pwd)"
pactum=${PACTUM_BINARY:-$root/build/cli/pactum}
[ -x "$pactum" ] || bash "$root/scripts/setup.sh"
mkdir -p "$out"
"$pactum" scenario --seed "$seed" --out "$out/chain" --blocks "$blocks" --agents "$agents" --quiet
"$pactum" analyze --data-dir "$out/chain" --out "$out/report" --quiet
echo "study: open $out/report/report.html"
