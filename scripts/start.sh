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

# name:port of each service, in start order. Ports are their config defaults (.env.example). The console comes
# first, so its URL is the first printed.
services=(console:3000 contacts:3001 campaigns:3002 social:3003 meetings:3004)
present=()
for entry in "${services[@]}"; do
  [ -f "services/${entry%%:*}/package.json" ] && present+=("$entry")
done

# The console's migrate makes the first admin on a fresh install and prints its one-time password once: kept to be
# shown beside the console's URL.
console_password=
for entry in "${present[@]}"; do
  if [ "${entry%%:*}" = console ]; then
    output=$(pnpm --silent --filter @ccm/console run migrate)
    printf '%s\n' "$output" | grep -v 'one-time password' || true
    console_password=$(printf '%s\n' "$output" | sed -n 's/.*one-time password \([^ ]*\).*/\1/p')
  else
    pnpm --silent --filter "@ccm/${entry%%:*}" run migrate
  fi
done

# The console serves its app built: built here when it is missing or older than its sources, once the app and its
# build:web script exist.
console_web=services/console/web
if [ -f services/console/package.json ] &&
  { [ -f "$console_web/package.json" ] || grep -q '"build:web"' services/console/package.json; }; then
  if [ ! -f "$console_web/dist/index.html" ] || [ -n "$(find "$console_web" \( -name dist -o -name node_modules \) \
    -prune -o -type f -newer "$console_web/dist/index.html" -print -quit)" ]; then
    echo "Building the console's app…"
    pnpm --silent --filter @ccm/console run build:web ||
      echo "The console's app did not build (see above); the console says how to build it."
  fi
fi

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
  if [ "$name" = console ] && curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    printf '\n  %-10s http://127.0.0.1:%s   the staff console: open it in a browser\n' "$name" "$port"
  elif curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    printf '\n  %-10s http://127.0.0.1:%s   docs: http://127.0.0.1:%s/docs\n' "$name" "$port" "$port"
  else
    printf '\n  %-10s did not become ready on port %s; see its log above\n' "$name" "$port"
  fi
  if [ "$name" = console ] && [ -n "$console_password" ]; then
    printf '             first sign-in: username admin, one-time password %s (shown this once)\n' "$console_password"
  fi
done
echo
echo "  A token for the API: npm run token -- --sub your.name --role editor"
echo "  Ctrl-C stops the services."
wait "${pids[@]}"
