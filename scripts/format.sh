#!/usr/bin/env bash
# The house format (.clang-format, clang-format 14) on every C++ file in the repository.
#   scripts/format.sh           rewrites the files in place
#   scripts/format.sh --check   changes nothing; exit status 1 and the offending files
#                               listed when one is not formatted (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$FORMAT" ] || { echo "format: needs clang-format 14 (apt-get install clang-format-14)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/js/\|^tests/browser/' |
                     while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    "$FORMAT" --dry-run --Werror "$f" > /dev/null 2>&1 || bad+=("$f")
  done
  if ((${#bad[@]})); then
    echo "format: not formatted (run scripts/format.sh):"; printf '  %s\n' "${bad[@]}"; exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  "$FORMAT" -i "${files[@]}"
fi
