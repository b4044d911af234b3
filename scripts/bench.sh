#!/usr/bin/env bash
# `npm run bench`: every service's benchmarks, one at a time (they measure; running two at once on
# a two-core machine would measure each other).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
bash scripts/ensure-deps.sh
bash scripts/ensure-browser.sh
bash infra/up.sh
for dir in services/*/; do
  if node -e "process.exit(require('./${dir}package.json').scripts?.bench ? 0 : 1)"; then
    echo "== $(basename "$dir")"
    (cd "$dir" && pnpm --silent run bench)
  fi
done
