#!/usr/bin/env bash
# Record-create throughput with no listener, with a no-op in_transaction listener and with the
# built-in redis and webhook listeners in durable delivery, measured in one run on the same
# machine in interleaved rounds (every server warmed up, then each in turn gets a window, round
# after round), as ratios to the no-listener figure; plus the commit-to-delivery delay (p50/p99)
# of each durable scenario, measured with open-loop load at half its saturating POST rate.
# See bench/README.md ("Durable delivery").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
# shellcheck source=bench/jit-warmup.sh
. "$BENCH/jit-warmup.sh"
DURATION=10
ROUNDS=3
WARMUP=5
CONNECTIONS=16
THREADS=2
BUILD=1
KEEP=0
JAR_OPTION=""
LAUNCHER=0

usage() {
  cat <<'USAGE'
Usage: bench/durable.sh [--duration SECS] [--rounds N] [--warmup SECS|jit] [--connections N] [--threads N]
                       [--no-build] [--jar PATH] [--launcher] [--keep]
  --duration   seconds of each scenario's window in a round (10)
  --rounds     interleaved rounds (3): every scenario gets one window per round
  --warmup jit POST until the JIT compiler is idle (two 5 s slices costing it under 2 % of a
               core; at most 240 s), so that the figures are the server's steady state
               rather than its compilation (about a minute of POSTs on 2 cores)
  --launcher   start each server with bin/kinto4j (the README's start command and its JVM
               options) instead of java -jar
  --jar PATH   bench this server jar (implies --no-build; e.g. a copy of an earlier build, to
               compare two builds run by run)
USAGE
}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; warmup_valid "$WARMUP" || { echo "--warmup takes whole seconds or jit, not '$WARMUP'" >&2; exit 2; }; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --launcher) LAUNCHER=1; shift ;;
    --jar) JAR_OPTION="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; BUILD=0; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { echo "[durable-bench] $*" >&2; }
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
die() { echo "[durable-bench] error: $*" >&2; exit 1; }

need() { # command package
  if ! command -v "$1" >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "$1 is missing and this is not root: apt-get install $2"
    log "$1 not found: installing the Debian package $2"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
  fi
}
need wrk wrk
need redis-server redis-server
need curl curl

if [ "$BUILD" -eq 1 ]; then
  log "building (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests >&2)
fi
JAR="${JAR_OPTION:-$ROOT/server/target/kinto4j.jar}"
API="$(ls "$ROOT"/listener-api/target/kinto4j-listener-api-*.jar | grep -v sources | head -1)"
[ -f "$JAR" ] && [ -f "$API" ] || die "build the project first (mvn -B package -DskipTests)"

WORK="$(mktemp -d /tmp/kinto4j-durable-bench.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ "$KEEP" -eq 1 ] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

log "building the no-op listener plugin"
mkdir -p "$WORK/noop/classes/META-INF/services" "$WORK/plugins"
javac --release 17 -nowarn -cp "$API" -d "$WORK/noop/classes" "$BENCH/durable/NoopListenerFactory.java"
echo "bench.noop.NoopListenerFactory" > "$WORK/noop/classes/META-INF/services/org.kinto4j.listener.ListenerFactory"
(cd "$WORK/noop/classes" && jar cf "$WORK/plugins/noop.jar" .)
log "building the commit clock plugin"
mkdir -p "$WORK/clock/classes/META-INF/services"
javac --release 17 -nowarn -cp "$API" -d "$WORK/clock/classes" "$BENCH/durable/CommitClockFactory.java"
echo "bench.clock.CommitClockFactory" > "$WORK/clock/classes/META-INF/services/org.kinto4j.listener.ListenerFactory"
(cd "$WORK/clock/classes" && jar cf "$WORK/plugins/clock.jar" .)

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
AUTH="Basic $(printf 'bench:bench' | base64)"

run_wrk() { # seconds path (CONNECTIONS and THREADS from the environment)
  BENCH_METHOD=POST BENCH_AUTH="$AUTH" BENCH_BODY='{"data":{"title":"bench","done":false}}' BENCH_EXPECT=201 \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout 10s -s "$BENCH/lua/request.lua" "$BASE$2" 2>&1 \
    | grep '^WRK_RESULT' || true
}
# The warm-up's load: the POSTs, and meanwhile the operations endpoint every 0.5 s, as
# wait_backlog reads it before and after the measured window. Without it, the first such GET
# after minutes of POSTs alone makes the JIT throw away its POST-only compiled request path and
# compile it again during the measured window (seen as 2-4x the C2 time of a run without them).
# And a paced trickle of POSTs, as the delay windows send (jit-warmup.sh's paced_side_load).
warm_load() { # seconds path
  local end=$((SECONDS + $1))
  ( while [ "$SECONDS" -lt "$end" ]; do
      curl -s -o /dev/null -H "Authorization: $AUTH" "$BASE/v1/__listeners__"; sleep 0.5
    done ) &
  local poller=$!
  paced_side_load "$1" "$BASE$2" "$AUTH" &
  local side=$!
  run_wrk "$@"
  wait "$poller" "$side" 2>/dev/null || true
}
field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<< " $1"; }

NAMES=(none noop_in_transaction redis_durable webhook_durable webhook_batch)
RECORDS="/v1/buckets/bench/collections/c/records"
HZ="$(getconf CLK_TCK)"
declare -A PID_OF BASE_OF WARMED REQS USECS TICKS P50S P99S BAD CREATED ARRIVED RPS PACED
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
backlog() { # of the server at BASE: pending outbox rows of all its durable instances
  curl -sf -H "Authorization: $AUTH" "$BASE/v1/__listeners__" \
    | python3 -c 'import json,sys; print(sum(i.get("backlog", 0) for i in json.load(sys.stdin)["data"]))'
}
wait_backlog() { # name: until the server's outbox backlog is empty
  for _ in $(seq 240); do
    [ "$(backlog)" = 0 ] && return
    sleep 0.2
  done
  log "$1: backlog did not drain"
}
delivered() { # of the server at BASE: events its instance "hook" delivered so far
  curl -sf -H "Authorization: $AUTH" "$BASE/v1/__listeners__/hook" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["delivered"])'
}
redis_len() { # the list's length once it has stopped growing
  local before=-1 now
  for _ in $(seq 120); do
    now="$(redis-cli -p "$REDIS_PORT" llen bench)"
    [ "$now" = "$before" ] && break
    before="$now"; sleep 0.5
  done
  echo "$now"
}

start_server() { # name listeners-hocon
  local name="$1" dir="$WORK/$1" port
  port="$(free_port)"
  mkdir -p "$dir"
  cat > "$dir/server.conf" <<CONF
http.port = $port
storage.url = "jdbc:h2:file:$dir/db/kinto4j"
plugins_dir = "$WORK/plugins"
admin_principals = [system.Authenticated]
event_listeners { clock { use = commit_clock, delivery = after_commit, file = "$WORK/commits-$1.txt" } }
$2
CONF
  if [ "$LAUNCHER" = 1 ]; then
    (cd "$dir" && KINTO4J_JAR="$JAR" exec "$ROOT/bin/kinto4j" start --config "$dir/server.conf" > "$dir/server.log" 2>&1) &
  else
    (cd "$dir" && exec java -jar "$JAR" start --config "$dir/server.conf" > "$dir/server.log" 2>&1) &
  fi
  PID_OF[$name]=$!
  PIDS+=("${PID_OF[$name]}")
  BASE="http://127.0.0.1:$port"
  BASE_OF[$name]="$BASE"
  for _ in $(seq 300); do curl -sf "$BASE/v1/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sf "$BASE/v1/" >/dev/null || die "server for $name did not start: $(tail -5 "$dir/server.log")"
  curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench"
  curl -sf -o /dev/null -H "Authorization: $AUTH" -X PUT "$BASE/v1/buckets/bench/collections/c"
  log "$name: warming up ($([ "$WARMUP" = jit ] && echo "until the JIT compiler is idle" || echo "${WARMUP}s"))"
  WARMED[$name]="$(warm_up "${PID_OF[$name]}" "$WARMUP" warm_load "$RECORDS")"
  wait_backlog "$name"
  log "$name: warmed up in ${WARMED[$name]}s"
}
start_receiver() { # name: the webhook receiver of that scenario, on HOOK_PORT
  HOOK_PORT="$(free_port)"
  java "$BENCH/durable/WebhookDelay.java" "$HOOK_PORT" "$WORK/hook-$1.stop" "$WORK/arrivals-$1.txt" > "$WORK/receiver-$1.txt" 2>"$WORK/receiver-$1.err" &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q READY "$WORK/receiver-$1.txt" 2>/dev/null && break; sleep 0.1; done
}

# 1. Every server, started and warmed up in turn, then left running (idle) for the rounds.
HOOK_SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
hook() { # url extra-settings
  echo "event_listeners { hook { use = webhook, url = \"$1\", secret = \"$HOOK_SECRET\", allow_private_networks = true $2 } }"
}
start_server none ""
start_server noop_in_transaction 'event_listeners { noop { use = noop } }'
start_server redis_durable "event_listeners { queue { use = redis, url = \"$REDIS_URL\", listname = bench } }"
redis_len > /dev/null
redis-cli -p "$REDIS_PORT" del bench > /dev/null
start_receiver webhook_durable
start_server webhook_durable "$(hook "http://127.0.0.1:$HOOK_PORT/hook" "")"
start_receiver webhook_batch
start_server webhook_batch "$(hook "http://127.0.0.1:$HOOK_PORT/hook" ", batch = true")"

# 2. Interleaved rounds: each server in turn gets a DURATION s window, then its backlog drains
# (so its CPU figure includes the delivery of the window's events), round after round: a burst
# of activity from another tenant of the machine weighs on every scenario alike. Round 0 is not
# counted: the servers warmed up first have idled for minutes while the others warmed up, and a
# server that has idled that long is slow for seconds (the first scenarios' first round took a
# quarter of their later rounds' POSTs, bench/RESULTS.md); after round 0 every server has idled
# for the same few rounds' time.
for round in $(seq 0 "$ROUNDS"); do
  for name in "${NAMES[@]}"; do
    BASE="${BASE_OF[$name]}"
    if [ "$round" = 0 ]; then
      log "round 0 (not counted): $name, ${DURATION}s"
      run_wrk "$DURATION" "$RECORDS" > /dev/null
      wait_backlog "$name"
      continue
    fi
    log "round $round/$ROUNDS: $name, ${DURATION}s"
    t0="$(ticks_of "${PID_OF[$name]}")"
    case "$name" in redis_durable) l0="$(redis-cli -p "$REDIS_PORT" llen bench)" ;; webhook*) d0="$(delivered)" ;; esac
    line="$(run_wrk "$DURATION" "$RECORDS")"
    [ -n "$line" ] || die "wrk produced no result for $name"
    wait_backlog "$name"
    TICKS[$name]=$(( ${TICKS[$name]:-0} + $(ticks_of "${PID_OF[$name]}") - t0 ))
    req="$(field "$line" requests)"
    log "round $round/$ROUNDS: $name: $req POSTs, p50 $(( $(field "$line" p50_us) / 1000 )) ms, p99 $(( $(field "$line" p99_us) / 1000 )) ms"
    REQS[$name]=$(( ${REQS[$name]:-0} + req ))
    USECS[$name]=$(( ${USECS[$name]:-0} + $(field "$line" duration_us) ))
    P50S[$name]="${P50S[$name]:-} $(field "$line" p50_us)"
    P99S[$name]="${P99S[$name]:-} $(field "$line" p99_us)"
    BAD[$name]=$(( ${BAD[$name]:-0} + $(field "$line" unexpected_status) + $(field "$line" connect_errors) \
      + $(field "$line" read_errors) + $(field "$line" write_errors) + $(field "$line" timeouts) ))
    case "$name" in
      redis_durable) CREATED[$name]=$(( ${CREATED[$name]:-0} + req )); ARRIVED[$name]=$(( ${ARRIVED[$name]:-0} + $(redis_len) - l0 )) ;;
      webhook*) CREATED[$name]=$(( ${CREATED[$name]:-0} + req )); ARRIVED[$name]=$(( ${ARRIVED[$name]:-0} + $(delivered) - d0 )) ;;
    esac
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in "${NAMES[@]}"; do
  RPS[$name]="$(awk -v r="${REQS[$name]}" -v d="${USECS[$name]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
done
redis-cli -p "$REDIS_PORT" del bench > /dev/null

# 3. The commit-to-delivery delay of each durable scenario, one at a time (the other servers idle).
paced() { # name: open-loop POSTs at half the scenario's saturating rate
  local rate=$(( ${RPS[$1]} / 2 ))
  log "$1: measuring the commit-to-delivery delay for ${DURATION}s at $rate POST/s (half of ${RPS[$1]})"
  PACED[$1]="$(BENCH_RATE="$rate" BENCH_AUTH="$AUTH" BENCH_ACKS="$WORK/acks-$1.txt" wrk -t1 -c32 -d "${DURATION}s" \
    -s "$BENCH/lua/paced.lua" "${BASE_OF[$1]}$RECORDS" | grep PACED_RESULT)"
}
# a consumer popping as the tutorial's worker does; not running during the rounds, where on 2
# cores it would compete with the servers (the webhook receivers must run: the listener posts)
java "$BENCH/durable/RedisDelay.java" "$REDIS_URL" bench 5 "$WORK/arrivals-redis_durable.txt" \
  > "$WORK/consumer.txt" 2>"$WORK/consumer.err" &
CONSUMER_PID=$!
PIDS+=("$CONSUMER_PID")
for _ in $(seq 300); do grep -q READY "$WORK/consumer.txt" 2>/dev/null && break; sleep 0.1; done
paced redis_durable
wait "$CONSUMER_PID" || true
for name in webhook_durable webhook_batch; do
  BASE="${BASE_OF[$name]}"
  paced "$name"
  wait_backlog "$name"
  sleep 0.5
  touch "$WORK/hook-$name.stop"
done
sleep 1 # the receivers write their arrivals
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
cpu() { awk -v t="${TICKS[$1]}" -v r="${REQS[$1]}" -v hz="$HZ" 'BEGIN { printf "%.0f", t * 1e6 / hz / r }'; }

echo
echo "kinto4j durable delivery bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, H2, $([ "$LAUNCHER" = 1 ] && echo bin/kinto4j || echo 'java -jar'), wrk -t$THREADS -c$CONNECTIONS, $ROUNDS interleaved rounds of ${DURATION}s per scenario after $([ "$WARMUP" = jit ] && echo "a warm-up until the JIT compiler is idle" || echo "a ${WARMUP}s warm-up")"
printf '%-40s %10s %9s %9s %8s %7s %14s %9s\n' "record POST with" "req/s" "p50 ms" "p99 ms" "ratio" "errors" "CPU µs/POST" "warm-up"
for n in "${NAMES[@]}"; do
  case "$n" in
    none) label="no listener" ;;
    noop_in_transaction) label="no-op listener, in_transaction" ;;
    redis_durable) label="redis listener, durable (outbox)" ;;
    webhook_durable) label="webhook listener, durable (outbox)" ;;
    webhook_batch) label="webhook listener, durable, batch = true" ;;
  esac
  printf '%-40s %10s %9s %9s %8s %7s %14s %9s\n' "$label" "${RPS[$n]}" "$(ms "$(median "${P50S[$n]}")")" \
    "$(ms "$(median "${P99S[$n]}")")" "$(ratio "${RPS[$n]}" "${RPS[none]}")" "${BAD[$n]}" \
    "$(cpu "$n") ($(ratio "$(cpu none)" "$(cpu "$n")"))" "${WARMED[$n]}s"
done
echo
for n in redis_durable webhook_durable webhook_batch; do
  echo "$n: ${CREATED[$n]} records created in the measured windows, ${ARRIVED[$n]} events $([ "$n" = redis_durable ] && echo "pushed to Redis" || echo "delivered") meanwhile"
done
echo "load average (1, 5, 15 min) at start: $LOAD_START; at end: $LOAD_END"
echo "every server also runs the bench's commit clock (an after_commit listener appending one line per event to a buffer)"
echo "commit-to-delivery delay (arrival - commit clock), open-loop load at half the saturating rate:"
for n in redis_durable webhook_durable webhook_batch; do
  echo "  $n: $(sed 's/^PACED_RESULT //' <<< "${PACED[$n]:-}")"
  echo "  $n: $(python3 "$BENCH/delay_report.py" "$WORK/acks-$n.txt" "$WORK/arrivals-$n.txt" "$WORK/commits-$n.txt" 2>&1 | tail -1)"
done
