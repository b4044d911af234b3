#!/usr/bin/env bash
# Runs one service: `scripts/service.sh contacts`. npm start, the Dockerfile and the benchmarks all
# start services through here, so they run alike. The services serve a few staff, not a crowd: a
# small young generation (4 MB semi-spaces instead of 16) keeps each near 130 MB resident.
set -euo pipefail
cd "$(dirname "$0")/../services/$1"
exec node --max-semi-space-size=4 --env-file-if-exists=../../.env --import tsx src/server.ts
