#!/usr/bin/env bash
# SSE change feed: commit-to-delivery delay (p50/p99) at half of the saturating record-POST rate.
# 1. the saturating rate: wrk POSTs records for DURATION s (after a warm-up) with the stream open;
# 2. the delay: wrk (bench/lua/paced.lua) POSTs at half that rate while bench/feed/SseDelay.java,
#    following the collection's /changes stream since before the warm-up, records each event's
#    arrival, and the server's commit clock (bench/durable/CommitClockFactory.java, an
#    after_commit listener) records when each record's transaction committed;
#    bench/delay_report.py reports arrival time minus commit time per event (and minus
#    last_modified, split at the POST's answer), plus any event missing or received twice.
#    Prints the machine's load average, as others may be using it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
# shellcheck source=bench/jit-warmup.sh
. "$BENCH/jit-warmup.sh"
DURATION=10
WARMUP=5
CONNECTIONS=16
BUILD=1
LAUNCHER=0

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; warmup_valid "$WARMUP" || { echo "--warmup takes whole seconds or jit, not '$WARMUP'" >&2; exit 2; }; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --launcher) LAUNCHER=1; shift ;;
    -h|--help) echo "Usage: bench/feed.sh [--duration SECS] [--warmup SECS|jit] [--connections N] [--no-build] [--launcher]  (jit: POST until the JIT compiler is idle, bench/jit-warmup.sh; --launcher: start through bin/kinto4j)"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "[feed-bench] $*" >&2; }
die() { echo "[feed-bench] error: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"

if [ "$BUILD" -eq 1 ]; then
  log "building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests >&2)
fi
JAR="$ROOT/server/target/kinto4j.jar"
API="$(ls "$ROOT"/listener-api/target/kinto4j-listener-api-*.jar 2>/dev/null | grep -v sources | head -1)"
[ -f "$JAR" ] && [ -f "$API" ] || die "build the project first (mvn -B package -DskipTests)"

WORK="$(mktemp -d /tmp/kinto4j-feed-bench.XXXXXX)"
SERVER_PID=""
FOLLOWER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$FOLLOWER_PID" ] && kill "$FOLLOWER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/clock/META-INF/services" "$WORK/plugins"
javac --release 17 -nowarn -cp "$API" -d "$WORK/clock" "$BENCH/durable/CommitClockFactory.java"
echo "bench.clock.CommitClockFactory" > "$WORK/clock/META-INF/services/org.kinto4j.listener.ListenerFactory"
(cd "$WORK/clock" && jar cf "$WORK/plugins/clock.jar" .)

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
cat > "$WORK/server.conf" <<CONF
http.port = $PORT
storage.url = "jdbc:h2:file:$WORK/db/kinto4j"
plugins_dir = "$WORK/plugins"
event_listeners { clock { use = commit_clock, delivery = after_commit, file = "$WORK/commits.txt" } }
CONF
if [ "$LAUNCHER" = 1 ]; then
  (cd "$WORK" && KINTO4J_JAR="$JAR" exec "$ROOT/bin/kinto4j" start --config "$WORK/server.conf" > "$WORK/server.log" 2>&1) &
else
  (cd "$WORK" && exec java -jar "$JAR" start --config "$WORK/server.conf" > "$WORK/server.log" 2>&1) &
fi
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 300); do curl -sf "$BASE/v1/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$BASE/v1/" >/dev/null || die "server did not start: $(tail -5 "$WORK/server.log")"
AUTH="Basic $(printf 'bench:bench' | base64)"
curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench"
curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench/collections/feed"

run_wrk() { # seconds
  BENCH_METHOD=POST BENCH_AUTH="$AUTH" BENCH_BODY='{"data":{"title":"bench","done":false}}' BENCH_EXPECT=201 \
    wrk -t 2 -c "$CONNECTIONS" -d "${1}s" --timeout 10s -s "$BENCH/lua/request.lua" \
    "$BASE/v1/buckets/bench/collections/feed/records" 2>&1 | grep '^WRK_RESULT' || true
}
field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<< " $1"; }

java "$BENCH/feed/SseDelay.java" "$BASE/v1/buckets/bench/collections/feed/changes" "$AUTH" \
  "$WORK/stop" "$WORK/arrivals.txt" > "$WORK/follower.out" 2> "$WORK/follower.err" &
FOLLOWER_PID=$!
for _ in $(seq 300); do grep -q READY "$WORK/follower.out" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$WORK/follower.out" || die "the stream follower did not start: $(tail -3 "$WORK/follower.err")"

log "warming up ($([ "$WARMUP" = jit ] && echo "until the JIT compiler is idle" || echo "${WARMUP}s"))"
warm_load() { # seconds: saturating POSTs and a paced trickle, as the delay window sends (jit-warmup.sh)
  paced_side_load "$1" "$BASE/v1/buckets/bench/collections/feed/records" "$AUTH" &
  local side=$!
  run_wrk "$1"
  wait "$side" || true
}
log "warmed up in $(warm_up "$SERVER_PID" "$WARMUP" warm_load) s"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "saturating POST rate: ${DURATION}s at $CONNECTIONS connections"
LINE="$(run_wrk "$DURATION")"
[ -n "$LINE" ] || die "wrk produced no result"
SAT="$(awk -v r="$(field "$LINE" requests)" -v d="$(field "$LINE" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
HALF="$(awk -v s="$SAT" 'BEGIN { printf "%.0f", s / 2 }')"
log "saturating rate $SAT req/s; measuring the feed's delay at $HALF req/s for ${DURATION}s"
PACED="$(BENCH_RATE="$HALF" BENCH_AUTH="$AUTH" BENCH_ACKS="$WORK/acks.txt" wrk -t1 -c32 -d "${DURATION}s" \
  -s "$BENCH/lua/paced.lua" "$BASE/v1/buckets/bench/collections/feed/records" | grep '^PACED_RESULT')"
sleep 2 # the last events of the window
touch "$WORK/stop"
wait "$FOLLOWER_PID" || true
FOLLOWER_PID=""
RESULT="$(python3 "$BENCH/delay_report.py" "$WORK/acks.txt" "$WORK/arrivals.txt" "$WORK/commits.txt")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "kinto4j SSE change feed bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, H2, $([ "$LAUNCHER" = 1 ] && echo bin/kinto4j || echo 'java -jar')"
echo "load average before/after: $LOAD_BEFORE / $LOAD_AFTER"
echo "saturating record POST rate (wrk -t2 -c$CONNECTIONS, ${DURATION}s, one /changes stream open): $SAT req/s"
echo "paced at half of it (wrk, bench/lua/paced.lua): ${PACED#PACED_RESULT }"
echo "delay of the stream's events: $RESULT"
