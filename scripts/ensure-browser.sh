#!/usr/bin/env bash
# The console's browser tests and benchmark drive Debian's Chromium (npm packages cannot download a browser
# here): installed with apt when missing. CHROMIUM_PATH points them at another build instead.
set -euo pipefail

[ -n "${CHROMIUM_PATH:-}" ] && exit 0
command -v chromium >/dev/null && exit 0
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
echo "Installing Chromium with apt (for the console's browser tests)…"
$sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
