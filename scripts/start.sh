#!/usr/bin/env bash
# `npm start`: installs what is missing, brings up the infrastructure, migrates and seeds every
# service's database, starts every service and prints its URLs. Ctrl-C stops the services cleanly
# (the Kafka broker keeps running for the next start: `npm run infra:down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash infra/up.sh
# The services take the public development secrets only when told they run in development.
[ -n "${NODE_ENV:-}" ] || grep -qs '^NODE_ENV=' .env || export NODE_ENV=development

# name:port of each service, in start order. Ports are their config defaults (.env.example).
services=(contacts:3001 campaigns:3002 social:3003 meetings:3004)
present=()
for entry in "${services[@]}"; do
  [ -f "services/${entry%%:*}/package.json" ] && present+=("$entry")
done

for entry in "${present[@]}"; do
  pnpm --silent --filter "@ccm/${entry%%:*}" run migrate
done

pids=() names=()
# Each service gets one SIGTERM from here: a second signal (the terminal's Ctrl-C reaching it too)
# would cut its graceful shutdown short.
stop() {
  trap - INT TERM HUP
  echo; echo "Stopping the services…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in "${!pids[@]}"; do
    kill -0 "${pids[$i]}" 2>/dev/null && echo "  waiting for ${names[$i]} to finish its requests and flush its events…"
    wait "${pids[$i]}" 2>/dev/null || echo "  ${names[$i]} exited with status $?"
  done
  echo "Stopped. The Kafka broker is still running; 'npm run infra:down' stops it."
  exit 0
}
trap stop INT TERM HUP

for entry in "${present[@]}"; do
  name=${entry%%:*}
  # Each service's logs go to the terminal, prefixed with its name, until its last line: the prefixer
  # ignores Ctrl-C, and the service runs in a session of its own, out of the terminal's reach.
  setsid bash scripts/service.sh "$name" > >(trap '' INT; exec sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!) names+=("$name")
done

for entry in "${present[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    printf '\n  %-10s http://127.0.0.1:%s   docs: http://127.0.0.1:%s/docs\n' "$name" "$port" "$port"
  else
    printf '\n  %-10s did not become ready on port %s; see its log above\n' "$name" "$port"
  fi
done
echo
echo "  A token for the API: npm run token -- --sub your.name --role editor"
echo "  Ctrl-C stops the services."
wait "${pids[@]}"
