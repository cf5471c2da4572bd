# Sourced by tests/js/run.sh and tests/browser/run.sh (from their own folder): Node.js and
# the folder's npm dependencies, pinned by its package-lock.json (the npm registry is the
# only network access; dependencies are reinstalled only when the lockfile changed).

# require_node LABEL: exits 1, naming LABEL, unless Node.js >= 18 is installed.
require_node() {
  if ! command -v node > /dev/null 2>&1; then
    echo "$1: node is not installed (run scripts/setup.sh)" >&2
    exit 1
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 18 ]; then
    echo "$1: Node.js $(node --version) is too old; 18 or later is needed" >&2
    exit 1
  fi
}

# npm_deps LOCK SCRIPT ARGS...: re-runs SCRIPT with ARGS under the lock file named LOCK
# (two concurrent runs, e.g. two build directories, must not reinstall under each other's
# feet), then `npm ci` if package-lock.json differs from what was installed last.
npm_deps() {
  local lock=$1 script=$2
  shift 2
  if command -v flock > /dev/null 2>&1 && [ "${PACTUM_NPM_LOCKED:-}" != "$lock" ]; then
    export PACTUM_NPM_LOCKED=$lock
    exec flock "${TMPDIR:-/tmp}/$lock-$(id -u).lock" "$script" "$@"
  fi
  local stamp=node_modules/.pactum-package-lock.json
  if ! cmp -s package-lock.json "$stamp"; then
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
}
