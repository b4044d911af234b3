#!/usr/bin/env bash
# Run a real single-node Apache Kafka 3.9 broker (KRaft, broker+controller in one JVM) straight from
# its Maven Central jars: there is no Docker on the dev/CI machines, but there is Java 17 and Maven.
#
#   infra/kafka/kafka.sh up                 start (or reuse) a broker on 127.0.0.1:$KAFKA_PORT
#   infra/kafka/kafka.sh down [--kill] [--purge]
#                                           stop it (--kill: SIGKILL at once, to simulate a crash;
#                                           --purge: also delete its data dir)
#   infra/kafka/kafka.sh status             exit 0 if something listens on the port, 1 if not
#
# Everything that belongs to one broker (pid file, logs, generated server.properties, data) is keyed
# by KAFKA_PORT, so tests can run a second broker on other ports and crash/restart it without
# touching the main one. See README.md and REFERENCE.md next to this file.
set -euo pipefail

# Resolve our own directory so the script works from any cwd (and through a symlink).
SCRIPT_DIR="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$SCRIPT_DIR/.data/$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
# Logs, pid file and the generated server.properties; kept out of the data dir so that
# `down --purge` only wipes data and the log of a crashed broker survives a purge.
KAFKA_LOGS_DIR="${KAFKA_LOGS_DIR:-$SCRIPT_DIR/logs/$KAFKA_PORT}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-20}"
# Extra JVM flags, appended last (e.g. a debugger agent); empty by default.
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"

# A relative path given by the caller means "relative to where I ran this", so pin it now.
case "$KAFKA_DATA_DIR" in /*) ;; *) KAFKA_DATA_DIR="$PWD/$KAFKA_DATA_DIR" ;; esac
case "$KAFKA_LOGS_DIR" in /*) ;; *) KAFKA_LOGS_DIR="$PWD/$KAFKA_LOGS_DIR" ;; esac

LIB_DIR="$SCRIPT_DIR/lib"
# Written only after a complete copy; holds the pom's hash so editing pom.xml re-resolves the jars.
LIB_MARKER="$LIB_DIR/.complete"
POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j.properties"
# Kafka's log.dirs (topic partitions, __consumer_offsets, the KRaft metadata log, meta.properties).
KRAFT_DIR="$KAFKA_DATA_DIR/kraft-combined-logs"
PROPS_FILE="$KAFKA_LOGS_DIR/server.properties"
PID_FILE="$KAFKA_LOGS_DIR/kafka.pid"
CONSOLE_LOG="$KAFKA_LOGS_DIR/console.out"
SERVER_LOG="$KAFKA_LOGS_DIR/server.log"

INSTALL_HINT="apt-get install openjdk-17-jre-headless maven"

log() { printf '[kafka:%s] %s\n' "$KAFKA_PORT" "$*"; }
die() { printf '[kafka:%s] error: %s\n' "$KAFKA_PORT" "$*" >&2; exit 1; }

usage() {
  cat <<EOF
usage: $(basename -- "$0") up | down [--kill] [--purge] | status

env: KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
     KAFKA_DATA_DIR=$KAFKA_DATA_DIR
     KAFKA_LOGS_DIR=$KAFKA_LOGS_DIR
     KAFKA_HEAP="$KAFKA_HEAP" KAFKA_START_TIMEOUT=$KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT=$KAFKA_STOP_TIMEOUT
EOF
}

# Milliseconds since the epoch, for "ready in N s" messages.
now_ms() { date +%s%3N; }
# Seconds with one decimal between two now_ms values.
elapsed() { local ms=$(($2 - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

is_port_number() { [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536)); }

# True if a TCP connect to 127.0.0.1:$1 succeeds. `timeout` guards against a filtered port hanging.
port_open() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose.
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# True if a Kafka broker on 127.0.0.1:$1 answers an ApiVersions request. A bare port check is not
# enough for readiness: a KRaft broker binds its listener early but only starts serving requests
# once it has caught up with the metadata log and been unfenced, which is what clients need.
# Request (ApiVersions v0, correlation id 7, null client id): size=10, key=18, version=0, id=7, -1.
# Response starts with size(4), correlation id(4) and error code(2); we expect id 7 and error 0.
kafka_answers() {
  local reply
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose.
  reply="$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x07\xff\xff" >&3
    head -c 10 <&3 | od -An -tx1 | tr -d " \n"
  ' _ "$1" 2>/dev/null)" || return 1
  [[ "${reply:8:12}" == "000000070000" ]]
}

# Pid of the broker this script started for this port, or nothing. The pid file is trusted only if
# that process is still a kafka.Kafka running our server.properties (pids get reused); if the pid
# file was lost, fall back to looking for that exact command line.
our_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(<"$PID_FILE")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  # pgrep -f matches a regex against the whole command line; -x would need the full line.
  pid="$(pgrep -f -- "kafka\\.Kafka $(printf '%s' "$PROPS_FILE" | sed 's/[.[\*^$]/\\&/g')\$" | head -n 1 || true)"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    echo "$pid"
  fi
}

is_our_broker() {
  local cmdline
  [[ -r "/proc/$1/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"kafka.Kafka $PROPS_FILE"* ]]
}

# A dead child of this shell can linger as a zombie, which kill -0 still reports as alive.
is_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$state" != "Z" ]]
}

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found on PATH. Kafka 3.9 needs Java 11+ (17 recommended): $INSTALL_HINT"
  local version major
  version="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${version%%.*}"
  # Java 8 reports "1.8.0_x".
  [[ "$major" == "1" ]] && major="$(cut -d. -f2 <<<"$version")"
  if [[ "$major" =~ ^[0-9]+$ ]] && ((major < 11)); then
    die "java $version is too old; Kafka 3.9 needs Java 11+ (17 recommended): $INSTALL_HINT"
  fi
}

# Copy kafka_2.13 and its transitive dependencies (+ a log4j backend) into lib/ unless the marker
# says the current pom was already fully copied. Copy to a temp dir and swap it in, so an
# interrupted download never leaves a half-filled lib/ that looks usable. A lock serialises two
# `up`s (main broker and test broker) that find lib/ missing at the same time.
ensure_jars() {
  local pom_hash
  pom_hash="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$LIB_MARKER" && "$(<"$LIB_MARKER")" == "$pom_hash" ]]; then
    return 0
  fi

  mkdir -p "$SCRIPT_DIR/.data"
  exec 9>"$SCRIPT_DIR/.data/.lib.lock"
  flock 9
  # Another process may have finished the copy while we waited for the lock.
  if [[ -f "$LIB_MARKER" && "$(<"$LIB_MARKER")" == "$pom_hash" ]]; then
    exec 9>&-
    return 0
  fi

  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found on PATH; it is needed once to fetch the Kafka jars from Maven Central: $INSTALL_HINT"

  local tmp_lib="$SCRIPT_DIR/lib.tmp.$$" started
  started="$(now_ms)"
  log "resolving Kafka jars with Maven into $LIB_DIR (first run downloads ~60 MB into ~/.m2) ..."
  rm -rf -- "$tmp_lib"
  # -B: no colour codes in logs. Maven's output is only shown if it fails.
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp_lib" >"$SCRIPT_DIR/.data/mvn.log" 2>&1; then
    rm -rf -- "$tmp_lib"
    tail -n 30 "$SCRIPT_DIR/.data/mvn.log" >&2 || true
    die "mvn dependency:copy-dependencies failed (full output: $SCRIPT_DIR/.data/mvn.log). Is Maven Central reachable?"
  fi
  compgen -G "$tmp_lib/kafka_2.13-*.jar" >/dev/null ||
    die "Maven finished but no kafka_2.13 jar landed in $tmp_lib"
  printf '%s\n' "$pom_hash" >"$tmp_lib/.complete"
  rm -rf -- "$LIB_DIR"
  mv -- "$tmp_lib" "$LIB_DIR"
  exec 9>&-
  log "jars ready ($(find "$LIB_DIR" -name '*.jar' | wc -l) jars) in $(elapsed "$started" "$(now_ms)") s"
}

# Regenerated on every start: it holds absolute paths and ports, which may change between runs.
write_server_properties() {
  mkdir -p "$KAFKA_LOGS_DIR"
  local tmp="$PROPS_FILE.tmp.$$"
  cat >"$tmp" <<EOF
# Generated by infra/kafka/kafka.sh on every 'up'; edit the script, not this file.
# Single-node KRaft: this one process is both broker and (the only) controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=$KRAFT_DIR
num.partitions=3

# One broker: every internal topic must live with replication factor 1.
offsets.topic.replication.factor=1
# One partition instead of 50 makes the first consumer group much faster to come up in tests.
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1

# Otherwise every new consumer group waits 3 s before its first rebalance.
group.initial.rebalance.delay.ms=0
# Topics are created on purpose (ensureTopics in packages/events), never by accident.
auto.create.topics.enable=false

# After a crash (down --kill) the restarted controller still counts the dead incarnation's session
# as live and rejects the new registration (DUPLICATE_BROKER_REGISTRATION) until that session times
# out; the broker retries with exponential back-off capped at the session timeout. With the 9 s
# default a restart after a crash took 15-20 s; with 4 s (heartbeat every 1 s) it takes about 10 s.
# Clean restarts are not affected. Not lower: a fenced broker is a full outage on a single node.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
  mv -f -- "$tmp" "$PROPS_FILE"
}

# Kafka Uuid for the cluster id: 16 random bytes, URL-safe base64 without padding (what
# `StorageTool random-uuid` prints). Done in bash to save a JVM start; Kafka rejects ids that
# start with '-', so draw again in that case.
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  printf '%s\n' "$id"
}

java_common_opts() {
  printf '%s\n' \
    "-Dlog4j.configuration=file:$LOG4J_CONFIG" \
    "-Dkafka.logs.dir=$KAFKA_LOGS_DIR" \
    "-Djava.awt.headless=true"
}

# Format only when there is no meta.properties yet: formatting again would fail (or, with
# --ignore-formatted, hide a mismatch), and keeping the directory is what lets a restarted broker
# keep its topics and committed offsets.
format_storage_if_needed() {
  if [[ -f "$KRAFT_DIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id started opts
  cluster_id="$(random_cluster_id)"
  started="$(now_ms)"
  mapfile -t opts < <(java_common_opts)
  mkdir -p "$KAFKA_DATA_DIR"
  log "formatting new storage in $KRAFT_DIR (cluster id $cluster_id) ..."
  if ! java "${opts[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool \
    format -t "$cluster_id" -c "$PROPS_FILE" >>"$CONSOLE_LOG" 2>&1; then
    tail -n 20 "$CONSOLE_LOG" >&2 || true
    die "kafka.tools.StorageTool format failed (see $CONSOLE_LOG)"
  fi
  log "storage formatted in $(elapsed "$started" "$(now_ms)") s"
}

print_log_tail() {
  local f
  for f in "$CONSOLE_LOG" "$SERVER_LOG"; do
    if [[ -s "$f" ]]; then
      printf -- '----- last lines of %s -----\n' "$f" >&2
      tail -n 25 "$f" >&2
    fi
  done
}

# Poll until the broker answers, the process dies, or the timeout passes.
wait_until_ready() {
  local pid="$1" started="$2" deadline
  deadline=$((started + KAFKA_START_TIMEOUT * 1000))
  while :; do
    if ! is_alive "$pid"; then
      rm -f -- "$PID_FILE"
      print_log_tail
      die "the broker process (pid $pid) exited during start-up; logs: $KAFKA_LOGS_DIR"
    fi
    if kafka_answers "$KAFKA_PORT"; then
      return 0
    fi
    if (($(now_ms) > deadline)); then
      print_log_tail
      # Do not leave a half-started broker behind: the next 'up' should start from a clean state.
      stop_pid "$pid" TERM 10 || true
      rm -f -- "$PID_FILE"
      die "broker not ready on 127.0.0.1:$KAFKA_PORT after ${KAFKA_START_TIMEOUT} s; stopped it. Logs: $KAFKA_LOGS_DIR"
    fi
    sleep 0.2
  done
}

cmd_up() {
  is_port_number "$KAFKA_PORT" || die "KAFKA_PORT must be a port number, got '$KAFKA_PORT'"
  is_port_number "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT must be a port number, got '$KAFKA_CONTROLLER_PORT'"
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

  local started pid
  started="$(now_ms)"
  pid="$(our_pid)"

  # Our own broker, maybe still starting (e.g. two 'up's in a row): wait for it rather than
  # starting a second JVM that would fail on the port anyway.
  if [[ -n "$pid" ]]; then
    if ! kafka_answers "$KAFKA_PORT"; then
      log "broker (pid $pid) is starting; waiting for it ..."
      wait_until_ready "$pid" "$started"
    fi
    log "already running on 127.0.0.1:$KAFKA_PORT (pid $pid); reusing it"
    return 0
  fi

  # Someone else's broker (another checkout, docker-compose's apache/kafka, ...): reuse, don't fight.
  if port_open "$KAFKA_PORT"; then
    if kafka_answers "$KAFKA_PORT"; then
      log "a Kafka broker not started by this script already listens on 127.0.0.1:$KAFKA_PORT; reusing it"
    else
      log "warning: something already listens on 127.0.0.1:$KAFKA_PORT but does not answer like Kafka (yet); reusing it anyway"
    fi
    return 0
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port 127.0.0.1:$KAFKA_CONTROLLER_PORT is already in use; choose another KAFKA_CONTROLLER_PORT"
  fi

  require_java
  ensure_jars
  mkdir -p "$KAFKA_LOGS_DIR" "$KAFKA_DATA_DIR"
  rm -f -- "$PID_FILE"
  write_server_properties
  format_storage_if_needed

  local opts heap
  mapfile -t opts < <(java_common_opts)
  read -r -a heap <<<"$KAFKA_HEAP"
  local extra=()
  [[ -n "$KAFKA_JVM_OPTS" ]] && read -r -a extra <<<"$KAFKA_JVM_OPTS"

  local launch_ms
  launch_ms="$(now_ms)"
  printf '\n===== %s starting broker on 127.0.0.1:%s =====\n' "$(date -Is)" "$KAFKA_PORT" >>"$CONSOLE_LOG"
  # setsid: own session, so the broker survives the calling shell, its Ctrl-C and CI step teardown.
  # nohup: ignore SIGHUP too. The inner bash writes its own pid and then execs java, so the pid
  # file holds the JVM's pid whether or not setsid had to fork. GC flags are the ones Kafka's own
  # kafka-run-class.sh uses.
  # shellcheck disable=SC2016 # $$, $1 and $@ belong to the inner bash.
  setsid nohup bash -c 'printf "%s\n" "$$" >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java "${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    "${opts[@]}" "${extra[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$PROPS_FILE" \
    </dev/null >>"$CONSOLE_LOG" 2>&1 &

  # The pid file appears as soon as the inner bash runs; give it a moment.
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || die "broker did not write its pid file $PID_FILE"
  pid="$(<"$PID_FILE")"
  log "started broker pid $pid; waiting for 127.0.0.1:$KAFKA_PORT (timeout ${KAFKA_START_TIMEOUT} s) ..."

  wait_until_ready "$pid" "$launch_ms"
  local done_ms
  done_ms="$(now_ms)"
  log "ready on 127.0.0.1:$KAFKA_PORT (pid $pid): JVM start to ready $(elapsed "$launch_ms" "$done_ms") s, whole 'up' $(elapsed "$started" "$done_ms") s"
  log "data: $KAFKA_DATA_DIR  logs: $KAFKA_LOGS_DIR"
}

# Send a signal and wait up to N seconds for the process to go; escalate to SIGKILL after that.
stop_pid() {
  local pid="$1" signal="$2" timeout_s="$3" deadline escalated=false
  kill -s "$signal" "$pid" 2>/dev/null || return 0
  deadline=$(($(now_ms) + timeout_s * 1000))
  while is_alive "$pid"; do
    if (($(now_ms) > deadline)); then
      # Even SIGKILL did not help (process stuck in the kernel): report instead of hanging.
      if $escalated || [[ "$signal" == KILL ]]; then
        log "pid $pid survived SIGKILL; giving up"
        return 1
      fi
      log "pid $pid still alive after ${timeout_s} s; sending SIGKILL"
      kill -s KILL "$pid" 2>/dev/null || true
      escalated=true
      deadline=$(($(now_ms) + 10000))
    fi
    sleep 0.1
  done
}

cmd_down() {
  local kill_now=false purge=false arg
  for arg in "$@"; do
    case "$arg" in
      --kill) kill_now=true ;;
      --purge) purge=true ;;
      *) usage >&2; die "unknown option for down: $arg" ;;
    esac
  done

  local pid started
  pid="$(our_pid)"
  started="$(now_ms)"
  if [[ -z "$pid" ]]; then
    rm -f -- "$PID_FILE"
    if port_open "$KAFKA_PORT"; then
      log "something listens on 127.0.0.1:$KAFKA_PORT but it was not started by this script; leaving it alone"
    else
      log "no broker running on port $KAFKA_PORT"
    fi
  elif $kill_now; then
    log "killing broker pid $pid (SIGKILL)"
    stop_pid "$pid" KILL 5
    rm -f -- "$PID_FILE"
    log "killed in $(elapsed "$started" "$(now_ms)") s"
  else
    log "stopping broker pid $pid (SIGTERM, SIGKILL after ${KAFKA_STOP_TIMEOUT} s) ..."
    stop_pid "$pid" TERM "$KAFKA_STOP_TIMEOUT"
    rm -f -- "$PID_FILE"
    log "stopped in $(elapsed "$started" "$(now_ms)") s"
  fi

  if $purge; then
    # Refuse obviously dangerous targets: the variable is user-controllable.
    case "$KAFKA_DATA_DIR" in
      "" | / | "$HOME" | "$SCRIPT_DIR" | "$SCRIPT_DIR/.data") die "refusing to purge KAFKA_DATA_DIR='$KAFKA_DATA_DIR'" ;;
    esac
    if [[ -n "$pid" ]] && is_alive "$pid"; then
      die "broker pid $pid is still alive; not purging $KAFKA_DATA_DIR"
    fi
    rm -rf -- "$KAFKA_DATA_DIR"
    log "purged $KAFKA_DATA_DIR"
  fi
}

cmd_status() {
  local pid
  pid="$(our_pid)"
  if port_open "$KAFKA_PORT"; then
    local state="listening, not answering Kafka requests yet"
    kafka_answers "$KAFKA_PORT" && state="ready"
    if [[ -n "$pid" ]]; then
      log "up: 127.0.0.1:$KAFKA_PORT $state, pid $pid (started by this script)"
      log "data: $KAFKA_DATA_DIR  logs: $KAFKA_LOGS_DIR"
    else
      log "up: 127.0.0.1:$KAFKA_PORT $state (not started by this script)"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    log "down: nothing listens on 127.0.0.1:$KAFKA_PORT yet, but our broker pid $pid is running (starting?)"
  else
    log "down: nothing listens on 127.0.0.1:$KAFKA_PORT"
  fi
  return 1
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    up) [[ $# -eq 0 ]] || die "up takes no arguments"; cmd_up ;;
    down) cmd_down "$@" ;;
    status) [[ $# -eq 0 ]] || die "status takes no arguments"; cmd_status ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
