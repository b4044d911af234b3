#!/usr/bin/env bash
# Installs what is missing: pnpm (through npm, pinned by package.json) and the workspace's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  echo "Installing pnpm $want with npm…"
  npm install --global --no-fund --no-audit "pnpm@$want" >/dev/null
fi
# Reinstall when the lockfile changed since the last install (pnpm records it in node_modules).
if [ ! -f node_modules/.pnpm/lock.yaml ] || ! cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  pnpm install --frozen-lockfile
fi
