#!/usr/bin/env bash
# The size rules of the house (issue 18): no source file over 600 lines, no function over
# 80. Functions are measured by universal-ctags (start and end line of each definition).
# Exit status 1, with the offenders listed, when a rule is broken.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ctags >/dev/null || { echo "check_sizes: needs universal-ctags (apt-get install universal-ctags)" >&2; exit 2; }
files=$(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/js/\|^tests/browser/' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
status=0
long_files=$(echo "$files" | xargs wc -l | awk '$2 != "total" && $1 > 600 {print "  " $2 ": " $1 " lines"}')
if [ -n "$long_files" ]; then echo "files over 600 lines:"; echo "$long_files"; status=1; fi
# ctags misreads some operator declarations and attributes as long functions: only
# named functions and TEST bodies are measured.
long_functions=$(echo "$files" | ctags --fields=+ne --kinds-c++=f -x --_xformat='%N %F %n %e' -L - 2>/dev/null |
  awk '$1 != "operator" && $4 != "" && $4 - $3 + 1 > 80 {print "  " $2 ":" $3 " " $1 ": " $4 - $3 + 1 " lines"}')
if [ -n "$long_functions" ]; then echo "functions over 80 lines:"; echo "$long_functions"; status=1; fi
[ $status -eq 0 ] && echo "check_sizes: no file over 600 lines, no function over 80"
exit $status
