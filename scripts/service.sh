#!/usr/bin/env bash
# Runs one service, or one of its commands with its arguments: `scripts/service.sh contacts [src/cli/migrate.ts …]`.
# npm start, the Dockerfile and the benchmarks all start services through here, so they run alike.
# The services serve a few staff, not a crowd: a small young generation (4 MB semi-spaces instead
# of 16) keeps each near 130 MB resident. Settings in the project's .env apply; the environment wins.
set -euo pipefail
cd "$(dirname "$0")/../services/$1"
env_file=()
[ -f ../../.env ] && env_file=(--env-file=../../.env)
exec node --max-semi-space-size=4 "${env_file[@]}" --import tsx "${2:-src/server.ts}" "${@:3}"
