#!/usr/bin/env bash
# Test-only tools outside pip: axe-core (npm) for the accessibility checks of the public pages.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/.cache/npm/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$root/.cache/npm"
  npm install --silent --no-audit --no-fund --prefix "$root/.cache/npm" axe-core@4.11.0 >/dev/null
fi
