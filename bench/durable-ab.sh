#!/usr/bin/env bash
# Two server builds, one server at a time, alternating: record POST/s at saturation and the CPU
# each costs, with no listener, a durable webhook or a durable Redis listener, on H2 or on a fresh
# PostgreSQL database.
# Each run: a new server on an empty database, 60 s of saturating POSTs (the JIT's warm-up),
# then 30 s measured. Prints one line per run; compare the builds pair by pair (the machine
# drifts by more than most changes between pairs). See bench/README.md ("Two builds").
#
#   bench/durable-ab.sh --a OLD.jar --b NEW.jar [--listener L|A_L/B_L|A_L/B_L/C_L]
#                       [--pairs N] [--postgres] [--warm SECS] [--measure SECS]
#
# L is webhook, redis or none. --listener none/webhook with the same jar as --a and --b measures
# what a durable webhook costs one build (issue 12's "≥ 80 % of no-listener"), in runs that
# alternate as the builds do; a third listener (none/redis/webhook) adds a third run per round,
# c, with the --b jar. redis needs redis-server: the script starts its own, without persistence.
#
# --postgres drops and creates the database kinto4j_ab (owner kinto4j, as scripts/dev-services.sh
# makes it) before every run, as the postgres OS user: run it as root on a machine set up by that
# script. CPU: the server JVM's, every postgres process's, and the machine's, from /proc.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
A="" B="" LISTENER=webhook PAIRS=2 POSTGRES=0 WARM=60 MEASURE=30
while [ $# -gt 0 ]; do
  case "$1" in
    --a) A="$2"; shift 2 ;;
    --b) B="$2"; shift 2 ;;
    --listener) LISTENER="$2"; shift 2 ;;
    --pairs) PAIRS="$2"; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --warm) WARM="$2"; shift 2 ;;
    --measure) MEASURE="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[ -f "$A" ] && [ -f "$B" ] || { echo "--a and --b must name server jars" >&2; exit 2; }
# absolute: each server starts in its run's own folder
A="$(realpath "$A")" B="$(realpath "$B")"
IFS=/ read -r -a SIDES <<< "$LISTENER"
[ "${#SIDES[@]}" = 1 ] && SIDES+=("${SIDES[0]}")
for l in "${SIDES[@]}"; do
  case "$l" in webhook|redis|none) ;; *) echo "--listener is webhook, redis or none, or two or three of those joined by /, not '$LISTENER'" >&2; exit 2 ;; esac
done
[ "${#SIDES[@]}" -le 3 ] || { echo "--listener names at most three listeners, not '$LISTENER'" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

TMP="$(mktemp -d /tmp/kinto4j-ab.XXXXXX)"
PIDS=()
# stops the run's server and receiver and waits for them: the next run starts on an idle machine,
# and the temporary folder is not removed under a server still writing its database
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
REDIS_PID="" REDIS_PORT=""
trap 'cleanup; [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { local t=0 p; for p in $(pgrep -x postgres || true); do t=$((t + $(ticks "$p"))); done; echo "$t"; }
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
context_switches() { awk '/^ctxt /{print $2}' /proc/stat; }
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
if [[ " ${SIDES[*]} " == *" redis "* ]]; then
  command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)" >&2; exit 1; }
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$TMP/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

run_one() { # JAR LABEL LISTENER
  local jar="$1" label="$2" listener="$3" dir="$TMP/$2" port hook storage listeners="" receiver=""
  rm -rf "$dir"; mkdir -p "$dir"
  port=$(free_port)
  if [ "$POSTGRES" = 1 ]; then
    as_postgres psql -q -c "DROP DATABASE IF EXISTS kinto4j_ab WITH (FORCE)" \
      -c "CREATE DATABASE kinto4j_ab OWNER kinto4j TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" 2>/dev/null
    storage="jdbc:postgresql://127.0.0.1:5432/kinto4j_ab?user=kinto4j&password=kinto4j"
  else
    storage="jdbc:h2:file:$dir/db/kinto4j"
  fi
  if [ "$listener" = webhook ]; then
    hook=$(free_port)
    java "$BENCH/durable/WebhookDelay.java" "$hook" "$dir/stop" "$dir/arrivals.txt" > "$dir/receiver.txt" 2>&1 &
    receiver=$!
    PIDS+=("$receiver")
    for _ in $(seq 300); do grep -q READY "$dir/receiver.txt" 2>/dev/null && break; sleep 0.1; done
    listeners="event_listeners { hook { use = webhook, url = \"http://127.0.0.1:$hook/hook\", secret = \"whsec_$(head -c 32 /dev/urandom | base64)\", allow_private_networks = true } }"
  elif [ "$listener" = redis ]; then
    redis-cli -p "$REDIS_PORT" del bench > /dev/null
    receiver=$REDIS_PID
    listeners="event_listeners { queue { use = redis, url = \"redis://127.0.0.1:$REDIS_PORT/0\", listname = bench } }"
  fi
  printf 'http.port = %s\nstorage.url = "%s"\n%s\n' "$port" "$storage" "$listeners" > "$dir/server.conf"
  (cd "$dir" && KINTO4J_JAR="$jar" exec "$ROOT/bin/kinto4j" start --config "$dir/server.conf" > "$dir/server.log" 2>&1) &
  local server=$!
  PIDS+=("$server")
  local base="http://127.0.0.1:$port" auth
  for _ in $(seq 300); do curl -sf "$base/v1/" >/dev/null 2>&1 && break; sleep 0.1; done
  auth="Basic $(printf 'bench:bench' | base64)"
  curl -sf -o /dev/null -H "Authorization: $auth" -X PUT "$base/v1/buckets/bench"
  curl -sf -o /dev/null -H "Authorization: $auth" -X PUT "$base/v1/buckets/bench/collections/c"
  post() {
    BENCH_METHOD=POST BENCH_AUTH="$auth" BENCH_BODY='{"data":{"title":"bench","done":false}}' BENCH_EXPECT=201 \
      wrk -t 2 -c 16 -d "${1}s" --timeout 10s -s "$BENCH/lua/request.lua" "$base/v1/buckets/bench/collections/c/records" 2>&1 \
      | grep '^WRK_RESULT'
  }
  local j0 p0 m0 r0 c0 j1 p1 m1 r1 c1 warmed result requests delivered=""
  warmed=$(post "$WARM")
  j0=$(ticks "$server"); p0=$(pg_ticks); m0=$(machine_ticks); r0=$(ticks "$receiver"); c0=$(context_switches)
  result=$(post "$MEASURE")
  j1=$(ticks "$server"); p1=$(pg_ticks); m1=$(machine_ticks); r1=$(ticks "$receiver"); c1=$(context_switches)
  requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<< "$result")
  if [ -n "$receiver" ]; then
    # a run whose webhook failed (and so delivered nothing) would look as fast as no listener:
    # every event must have arrived (2 s to drain, then the receiver writes its file and exits).
    # wrk does not count the POSTs in flight when it stops: a few more events than it counted arrive
    sleep 2
    local arrived
    if [ "$listener" = redis ]; then
      arrived=$(redis-cli -p "$REDIS_PORT" llen bench)
    else
      touch "$dir/stop"; wait "$receiver" 2>/dev/null || true
      arrived=$(wc -l < "$dir/arrivals.txt")
    fi
    delivered="  delivered $arrived events for $(( $(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<< "$warmed") + ${requests:-0} + 2 )) counted writes"
  fi
  cleanup
  [ -n "$requests" ] && [ "$requests" -gt 0 ] || { echo "$label: no answered POST (see $dir/server.log)" >&2; trap - EXIT; exit 1; }
  local us=$((1000000 / $(getconf CLK_TCK)))
  # the receiver (a second JVM, or redis-server) shares the cores: what it takes is not the server's to use
  [ -n "$delivered" ] && delivered+=", receiver $(((r1 - r0) * us / requests)) µs/event"
  printf '%-8s %6d POST/s  JVM %4d µs/POST  postgres %4d µs/POST  machine %3d %% busy, %3d switches/POST%s\n' \
    "$label" $((requests / MEASURE)) $(((j1 - j0) * us / requests)) $(((p1 - p0) * us / requests)) \
    $(((m1 - m0) * 100 / (MEASURE * $(getconf CLK_TCK) * $(nproc)))) $(((c1 - c0) / requests)) "$delivered"
}

echo "kinto4j A/B — $(date -u +%FT%RZ), $(nproc) cores, $([ "$POSTGRES" = 1 ] && echo PostgreSQL || echo H2), listener: $LISTENER, ${WARM}s warm-up + ${MEASURE}s measured per run"
echo "a = $A, b = $B"
for i in $(seq "$PAIRS"); do
  run_one "$A" "a#$i" "${SIDES[0]}"
  run_one "$B" "b#$i" "${SIDES[1]}"
  if [ "${#SIDES[@]}" = 3 ]; then run_one "$B" "c#$i" "${SIDES[2]}"; fi
done
