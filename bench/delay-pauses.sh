#!/usr/bin/env bash
# One server with one consumer (a durable webhook and its receiver, a durable Redis listener and
# a popping worker, or the SSE change feed and a follower): warm it up with saturating POSTs,
# then POST at a fixed rate and report the commit-to-delivery delay together with the JVM's
# stop-the-world pauses (GC and safepoints) of the same window: how many of the slow deliveries
# overlapped a pause, and the pauses around each cluster of slow ones. What durable.sh and
# feed.sh cannot tell: whether a delay tail is the server's collector or something else; and
# it takes --storage, to measure on PostgreSQL. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
# shellcheck source=bench/jit-warmup.sh
. "$BENCH/jit-warmup.sh"
RATE=half
CONSUMER=webhook
WARMUP=90
DURATION=20
STORAGE=""
JAR="$ROOT/server/target/kinto4j.jar"

usage() {
  cat <<'USAGE'
Usage: bench/delay-pauses.sh [--consumer webhook|redis|feed] [--rate N|half] [--warmup SECS] [--duration SECS]
                             [--storage JDBC_URL] [--jar PATH]
  --consumer  webhook (durable, a receiver on loopback), redis (durable, a BLPOP worker on a
              private redis-server) or feed (the collection's SSE change feed and one follower)
  --rate      paced POSTs per second in the measured window; half (default): half the warm-up's
              saturating rate
  --warmup    seconds of saturating POSTs first (90): the collection grows as in durable.sh
  --storage   storage.url (default: a fresh H2 file), e.g. a jdbc:postgresql: URL of an empty database
  --jar       the server jar (default: server/target/kinto4j.jar; build it first)
Environment: KINTO4J_JVM_OPTS and JAVA_OPTS are passed to bin/kinto4j (to try another collector).
USAGE
}
while [ $# -gt 0 ]; do
  case "$1" in
    --consumer) CONSUMER="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --storage) STORAGE="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
log() { echo "[delay-pauses] $*" >&2; }
case "$CONSUMER" in webhook|redis|feed) ;; *) log "--consumer takes webhook, redis or feed, not '$CONSUMER'"; exit 2 ;; esac
for c in wrk curl javac $([ "$CONSUMER" = redis ] && echo redis-server redis-cli); do command -v "$c" >/dev/null || { log "$c is missing (bench/durable.sh installs wrk)"; exit 1; }; done
API="$(ls "$ROOT"/listener-api/target/kinto4j-listener-api-*.jar 2>/dev/null | grep -v sources | head -1)"
[ -f "$JAR" ] && [ -f "$API" ] || { log "build the project first (mvn -B package -DskipTests)"; exit 1; }

WORK="$(mktemp -d /tmp/kinto4j-delay-pauses.XXXXXX)"
PIDS=()
cleanup() { # the server must be gone before its directory: it would write its database file again
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mkdir -p "$WORK/plugins" "$WORK/clock/META-INF/services"
javac --release 17 -nowarn -cp "$API" -d "$WORK/clock" "$BENCH/durable/CommitClockFactory.java"
echo bench.clock.CommitClockFactory > "$WORK/clock/META-INF/services/org.kinto4j.listener.ListenerFactory"
(cd "$WORK/clock" && jar cf "$WORK/plugins/clock.jar" .)

case "$CONSUMER" in
  webhook)
    HOOK_PORT="$(free_port)"
    java "$BENCH/durable/WebhookDelay.java" "$HOOK_PORT" "$WORK/stop" "$WORK/arrivals.txt" \
      > "$WORK/consumer.txt" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 300); do grep -q READY "$WORK/consumer.txt" 2>/dev/null && break; sleep 0.1; done
    LISTENER="hook { use = webhook, url = \"http://127.0.0.1:$HOOK_PORT/hook\", secret = \"whsec_$(head -c 32 /dev/urandom | base64)\", allow_private_networks = true }" ;;
  redis)
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    # The worker pops from before the warm-up on, as the webhook receiver takes every event, so
    # that it is not starting up (compiling its loop) when the window opens.
    java "$BENCH/durable/RedisDelay.java" "redis://127.0.0.1:$REDIS_PORT/0" bench 5 "$WORK/arrivals.txt" \
      > "$WORK/consumer.txt" 2>&1 &
    CONSUMER_PID=$!
    PIDS+=("$CONSUMER_PID")
    for _ in $(seq 300); do grep -q READY "$WORK/consumer.txt" 2>/dev/null && break; sleep 0.1; done
    LISTENER="queue { use = redis, url = \"redis://127.0.0.1:$REDIS_PORT/0\", listname = bench }" ;;
  feed) LISTENER="" ;;
esac
PORT="$(free_port)"
cat > "$WORK/server.conf" <<CONF
http.port = $PORT
storage.url = "${STORAGE:-jdbc:h2:file:$WORK/db/kinto4j}"
plugins_dir = "$WORK/plugins"
admin_principals = [system.Authenticated]
event_listeners { clock { use = commit_clock, delivery = after_commit, file = "$WORK/commits.txt" } }
event_listeners { $LISTENER }
CONF
(cd "$WORK" && KINTO4J_JAR="$JAR" JAVA_OPTS="-Xlog:gc,safepoint:file=$WORK/gc.log:timemillis ${JAVA_OPTS:-}" \
  exec "$ROOT/bin/kinto4j" start --config "$WORK/server.conf" > "$WORK/server.log" 2>&1) &
PIDS+=($!)
BASE="http://127.0.0.1:$PORT"
AUTH="Basic $(printf 'bench:bench' | base64)"
for _ in $(seq 300); do curl -sf "$BASE/v1/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$BASE/v1/" >/dev/null || { log "the server did not start: $(tail -5 "$WORK/server.log")"; exit 1; }
curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench"
curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench/collections/c"
RECORDS="$BASE/v1/buckets/bench/collections/c/records"
if [ "$CONSUMER" = feed ]; then # followed from before the warm-up, so that its own parsing is compiled
  java "$BENCH/feed/SseDelay.java" "$BASE/v1/buckets/bench/collections/c/changes" "$AUTH" \
    "$WORK/stop" "$WORK/arrivals.txt" > "$WORK/consumer.txt" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q READY "$WORK/consumer.txt" 2>/dev/null && break; sleep 0.1; done
fi

log "warming up: ${WARMUP}s of saturating POSTs (and the operations endpoint every 0.5 s, and a paced trickle)"
( end=$((SECONDS + WARMUP)); while [ "$SECONDS" -lt "$end" ]; do
    curl -s -o /dev/null -H "Authorization: $AUTH" "$BASE/v1/__listeners__"; sleep 0.5; done ) &
POLLER=$!
paced_side_load "$WARMUP" "$RECORDS" "$AUTH" &
SIDE=$!
WARM="$(BENCH_METHOD=POST BENCH_AUTH="$AUTH" BENCH_BODY='{"data":{"title":"bench","done":false}}' BENCH_EXPECT=201 \
  wrk -t2 -c16 -d"${WARMUP}s" --timeout 10s -s "$BENCH/lua/request.lua" "$RECORDS" 2>&1 | grep WRK_RESULT || true)"
wait "$POLLER" "$SIDE" || true
for _ in $(seq 150); do
  backlog="$(curl -sf -H "Authorization: $AUTH" "$BASE/v1/__listeners__" \
    | python3 -c 'import json,sys; print(sum(i.get("backlog", 0) for i in json.load(sys.stdin)["data"]))')"
  [ "$backlog" = 0 ] && break
  sleep 0.2
done
if [ "$RATE" = half ]; then
  RATE="$(sed -n 's/.* requests=\([0-9]*\) duration_us=\([0-9]*\).*/\1 \2/p' <<< "$WARM" | awk '{ printf "%.0f", $1 / ($2 / 1e6) / 2 }')"
fi
sleep 2
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
log "measuring: ${DURATION}s at $RATE POST/s"
PACED="$(BENCH_RATE="$RATE" BENCH_AUTH="$AUTH" BENCH_ACKS="$WORK/acks.txt" wrk -t1 -c32 -d"${DURATION}s" \
  -s "$BENCH/lua/paced.lua" "$RECORDS" | grep PACED_RESULT || true)"
sleep 2 # the window's last events
SERVER_PID="$(pgrep -f "$WORK/server.conf" | head -1 || true)"
PEAK="$( [ -n "$SERVER_PID" ] && awk '/VmHWM/ { print $2 / 1024 " MB" }' "/proc/$SERVER_PID/status" || echo '?')"
touch "$WORK/stop"
[ "$CONSUMER" = redis ] && wait "$CONSUMER_PID" || sleep 1

echo "kinto4j delay and pauses — $CONSUMER, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $([ -n "$STORAGE" ] && echo "${STORAGE%%\?*}" || echo H2), bin/kinto4j ${KINTO4J_JVM_OPTS:+(KINTO4J_JVM_OPTS=$KINTO4J_JVM_OPTS)}"
echo "warm-up: ${WARM#WRK_RESULT }"
echo "load average before the window: $LOAD; server peak RSS: $PEAK"
echo "window: ${PACED#PACED_RESULT }"
python3 "$BENCH/delay_report.py" "$WORK/acks.txt" "$WORK/arrivals.txt" "$WORK/commits.txt"
python3 "$BENCH/pause_overlap.py" "$WORK/acks.txt" "$WORK/arrivals.txt" "$WORK/commits.txt" "$WORK/gc.log"
