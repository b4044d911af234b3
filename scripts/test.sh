#!/usr/bin/env bash
# `npm test`: every test of every package against the real Postgres, Redis and Kafka, starting
# whatever is not running. Each test file uses databases and topics of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
bash scripts/ensure-deps.sh
bash scripts/ensure-browser.sh
bash infra/up.sh
pnpm exec turbo run typecheck lint --output-logs=errors-only
# The root's own TypeScript (scripts, infra, the system tests in test/) is no package's: checked here.
pnpm exec tsc -p tsconfig.json
pnpm exec eslint scripts infra/*.ts test
pnpm exec prettier --check --log-level=warn .
bash scripts/lint-openapi.sh

# One package at a time: the machine has two cores, and tap already runs a package's files in parallel.
log=$(mktemp)
status=0
pnpm exec turbo run test --concurrency=1 --continue 2>&1 | tee "$log" || status=$?
# Then the system tests (test/): the build, the compose file, two instances of every service.
pnpm exec tap 2>&1 | tee -a "$log" || status=$?

# One closing line for the whole run, summed from each package's tap summary (`# { total, pass, fail }`).
node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf8")
  let pass = 0, fail = 0, skip = 0
  for (const m of text.matchAll(/# \{ total: \d+(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?/g)) {
    pass += +(m[1] ?? 0); fail += +(m[2] ?? 0); skip += +(m[3] ?? 0)
  }
  console.log(`\ntests: ${pass} passed, ${fail} failed${skip ? `, ${skip} skipped` : ""}`)
  // Which ones, so that the end of a long log is enough to know what failed (a file, then its subtests).
  const failed = [...text.matchAll(/^(?:(\S+):test: )?(\s*)not ok \d+ - (.*)$/gm)]
  for (const [, pkg, indent, name] of failed.slice(0, 40)) console.log(`  not ok: ${pkg ?? "system"} ${indent}${name}`)
  // A suite whose coverage fell below the floors in its package.json fails too, whatever its tests did.
  const below = new Set([...text.matchAll(/^(\S+):test: # ERROR: incomplete (\w+) coverage/gm)].map((m) => m[1]))
  if (below.size) console.log(`coverage below its floor in: ${[...below].join(", ")}`)
' "$log"
rm -f "$log"
exit "$status"
