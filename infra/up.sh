#!/usr/bin/env bash
# Brings up what the services need: checks Postgres and Redis (starting them with the machine's own
# commands when they are down and we may), then the Kafka broker and its topics.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_START='pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
REDIS_START='redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'

postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure() { # name, probe, start command
  local name=$1 probe=$2 start=$3
  $probe && return 0
  if [ "${CCM_START_LOCAL_SERVICES:-1}" = 1 ] && command -v "${start%% *}" >/dev/null 2>&1; then
    echo "$name is not running on 127.0.0.1; starting it: $start"
    bash -c "$start" >/dev/null
    for _ in $(seq 1 30); do $probe && return 0; sleep 0.5; done
  fi
  echo "error: $name is unreachable on 127.0.0.1. Start it with: $start" >&2
  exit 1
}

ensure PostgreSQL postgres_up "$PG_START"
ensure Redis redis_up "$REDIS_START"
bash infra/kafka/kafka.sh up
bash scripts/ensure-deps.sh # the topics are created with the workspace's kafkajs
pnpm --silent exec tsx infra/create-topics.ts
