#!/usr/bin/env bash
# Lints each service's OpenAPI document, as the service serves it, with redocly against redocly.yaml
# (the recommended rules, every warning an error unless listed there with its reason).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pids=()
files=()
for service in contacts campaigns social; do
  files+=("$dir/$service.json")
  node --import tsx scripts/openapi.ts "$service" "$dir/$service.json" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
pnpm exec redocly lint --config redocly.yaml --format stylish "${files[@]}"
