#!/usr/bin/env bash
# Installs the browser tests' npm packages (puppeteer-core, pinned in
# tests/browser/package-lock.json) with `npm ci`. A no-op, and so safe
# offline, when node_modules already holds what the lockfile names (a stamp
# of its hash). Never downloads a browser: the tests drive Debian's chromium.
set -euo pipefail
DIR=${1:-tests/browser}
if ! command -v npm >/dev/null; then
  # Debian's npm (a Node.js that brings its own npm never gets here).
  "$(dirname "$0")/deps.sh" npm
fi
stamp=$DIR/node_modules/.scimsync-lock-sha256
want=$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)
[[ -f $stamp && $(cat "$stamp") == "$want" ]] && exit 0
echo "deps: npm ci in $DIR"
(cd "$DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund)
echo "$want" >"$stamp"
