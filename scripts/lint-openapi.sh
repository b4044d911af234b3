#!/usr/bin/env bash
# Lints each service's OpenAPI document, as the service serves it, with redocly against redocly.yaml
# (the recommended rules, every warning an error unless listed there with its reason).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
services=(contacts campaigns social meetings)
pids=()
for service in "${services[@]}"; do
  node --import tsx scripts/openapi.ts "$service" "$dir/$service.json" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
# From the documents' folder, so each problem reads as contacts.json:line.
cd "$dir"
"$root/node_modules/.bin/redocly" lint --config "$root/redocly.yaml" --format stylish "${services[@]/%/.json}"
