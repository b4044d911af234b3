#!/usr/bin/env bash
# Lays out one built service as its image runs it: `scripts/deploy-service.sh <service> <empty dir>`.
# The Dockerfile's runtime stage is this folder; the build test starts a service from it too.
# Run `npm run build` first: the folder gets the service's files (dist/, migrations/, data…) and
# its production dependencies only, from the lockfile, in one flat node_modules (the hoisted
# linker), since the bundles import the third-party packages of the @ccm packages compiled into
# them, which pnpm's default layout would hide from the service.
set -euo pipefail
service=$1 out=$2
cd "$(dirname "$0")/.."
[ -f "services/$service/dist/server.js" ] || {
  echo "error: services/$service/dist/server.js is missing: npm run build -- $service" >&2
  exit 1
}
# inject-workspace-packages: pnpm deploys from the workspace lockfile only when the workspace's own packages
# are copied rather than linked; set for this command only, so development keeps its links.
pnpm --silent --config.inject-workspace-packages=true --config.node-linker=hoisted \
  --filter "@ccm/$service" deploy --prod --offline "$out" ||
  pnpm --silent --config.inject-workspace-packages=true --config.node-linker=hoisted \
    --filter "@ccm/$service" deploy --prod "$out"
cd "$out"
# What runs is dist/ (the @ccm packages are compiled into it) and the data files it reads beside it:
# the sources, tests, benchmarks and what serves only readers and compilers are left out.
rm -rf src test bench tsconfig.json pnpm-lock.yaml node_modules/@ccm node_modules/.bin
find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
  -o -name '*.md' -o -name '*.markdown' -o -name '*.ts.map' \) -delete
