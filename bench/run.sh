#!/usr/bin/env bash
# kinto4j benchmark: builds the server, starts it on a temporary database, drives it with wrk
# over loopback and prints requests/s, p50/p99 latency and the ratio of each figure to the
# heartbeat ceiling measured in the same run, plus startup time and memory. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
# shellcheck source=bench/jit-warmup.sh
. "$BENCH/jit-warmup.sh"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [options]

  --postgres JDBC_URL   PostgreSQL storage (storage.url) instead of a temporary H2 database
  --listeners FILE      HOCON appended to the generated server.conf (event_listeners { ... })
  --launcher            start the server with bin/kinto4j (its JVM options) instead of java -jar
  --java-opts "OPTS"    extra JVM options (after the launcher's, so they win)
  --duration SECS       measured seconds per scenario and round (default 5)
  --rounds N            interleaved measuring rounds (default 3)
  --warmup SECS|jit     warm-up seconds per scenario before measuring (default 5); jit: load each
                        scenario until the JIT compiler is idle (bench/jit-warmup.sh), to measure
                        the steady state rather than the compilation (about a minute on 2 cores)
  --connections N       wrk connections (default 16)
  --threads N           wrk threads (default 2)
  --records N           records in the listed collection (default 10000)
  --list-sizes A,B,...  also measure the _limit=10 page on collections of these sizes
                        (e.g. 1000,100000: the page must be no slower at 100,000 than at 1,000)
  --only LIST           scenarios to run besides the heartbeat: hello,post,get,list (default all)
  --jfr                 JFR profile (settings=profile) of the measured rounds; prints the hottest frames
  --port N              HTTP port (default: a free one)
  --no-build            use the existing server/target/kinto4j.jar
  --jar PATH            bench this server jar instead (implies --no-build; e.g. a copy of an earlier
                        build, to compare before/after in one session)
  --keep                keep the temporary directory (database, server.log, profile)
  -h, --help            this text
EOF
}

POSTGRES=""
LISTENERS=""
LAUNCHER=0
JAVA_OPTS_EXTRA=""
DURATION=5
ROUNDS=3
WARMUP=5
CONNECTIONS=16
THREADS=2
RECORDS=10000
LIST_SIZES=""
ONLY="hello,post,get,list"
JFR=0
PORT=""
BUILD=1
KEEP=0
JAR_OPTION=""

while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) POSTGRES="$2"; shift 2 ;;
    --listeners) LISTENERS="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --launcher) LAUNCHER=1; shift ;;
    --java-opts) JAVA_OPTS_EXTRA="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; warmup_valid "$WARMUP" || { echo "--warmup takes whole seconds or jit, not '$WARMUP'" >&2; exit 2; }; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --list-sizes) LIST_SIZES="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --jfr) JFR=1; KEEP=1; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --jar) JAR_OPTION="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; BUILD=0; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
wants() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# ---- tools --------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk not found: installing the Debian package (apt-get update; apt-get install -y wrk)"
  if [ "$(id -u)" -ne 0 ]; then die "wrk is missing and this is not root: apt-get install wrk"; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
command -v curl >/dev/null || die "curl is required"
command -v java >/dev/null || die "java is required"

JAR="${JAR_OPTION:-$ROOT/server/target/kinto4j.jar}"
if [ "$BUILD" = 1 ]; then
  log "building: mvn -B -q package -DskipTests (offline first, from the local repository)"
  (cd "$ROOT" && { mvn -B -q -o package -DskipTests || mvn -B -q package -DskipTests; }) >&2 || die "build failed"
fi
[ -f "$JAR" ] || die "$JAR not found (build first, or drop --no-build)"

# ---- temporary server ---------------------------------------------------------------------
TMP="$(mktemp -d /tmp/kinto4j-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

if [ -z "$PORT" ]; then
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18888)"
fi
BASE="http://127.0.0.1:$PORT"

if [ -n "$POSTGRES" ]; then STORAGE_URL="$POSTGRES"; STORAGE_NAME="PostgreSQL"; else
  STORAGE_URL="jdbc:h2:file:$TMP/db/kinto4j"; STORAGE_NAME="H2 (temporary file database)"; fi
{
  echo "http.port = $PORT"
  echo "storage.url = \"$STORAGE_URL\""
  echo "plugins_dir = \"$TMP/plugins\""
  if [ -n "$LISTENERS" ]; then echo "# --- appended from $LISTENERS"; cat "$LISTENERS"; fi
} > "$TMP/server.conf"
mkdir -p "$TMP/plugins"
# Run a private copy: other builds may rewrite server/target/kinto4j.jar while the bench runs.
# Same path and mtime from run to run, so bin/kinto4j's class-data sharing archive is reused.
if [ -n "$JAR_OPTION" ]; then
  cp -p "$JAR" "$TMP/kinto4j.jar"
  JAR="$TMP/kinto4j.jar"
else
  mkdir -p /tmp/kinto4j-bench-jar
  cp -p "$JAR" /tmp/kinto4j-bench-jar/kinto4j.jar
  JAR=/tmp/kinto4j-bench-jar/kinto4j.jar
fi
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

JVM_ARGS=()
# bin/kinto4j tells libraries the flight recorder is unavailable (a faster start); --jfr needs it.
# The recorder also starts at launch (a small recording nobody reads): started first on a warm
# server, it made the JIT throw compiled code away and the profiled window ran at a quarter of
# the server's rate (bench/RESULTS.md, 2026-11-30 19:30).
if [ "$JFR" = 1 ]; then JVM_ARGS+=(-Djfr.unsupported.vm=false -XX:StartFlightRecording=name=boot,settings=default,maxsize=1m); fi
# shellcheck disable=SC2206
if [ -n "$JAVA_OPTS_EXTRA" ]; then JVM_ARGS+=($JAVA_OPTS_EXTRA); fi

if [ "$LAUNCHER" = 1 ]; then
  START_CMD=(env "JAVA_OPTS=${JVM_ARGS[*]:-}" "KINTO4J_JAR=$JAR" "$ROOT/bin/kinto4j" start --config "$TMP/server.conf")
  START_DESC="bin/kinto4j${JVM_ARGS[*]:+ (+ ${JVM_ARGS[*]})}"
else
  START_CMD=(java "${JVM_ARGS[@]}" -jar "$JAR" start --config "$TMP/server.conf")
  START_DESC="java ${JVM_ARGS[*]:+${JVM_ARGS[*]} }-jar kinto4j.jar"
fi

now_ms() { date +%s%3N; }
rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Starts the server, waits for its first successful GET /v1/ and sets START_MS to the time that took.
start_server() {
  local t0 first_ok=""
  t0="$(now_ms)"
  (cd "$TMP" && exec "${START_CMD[@]}" >> "$TMP/server.log" 2>&1) &
  SERVER_PID=$!
  # bin/kinto4j execs java, so $SERVER_PID is the JVM either way.
  for _ in $(seq 1 3000); do
    if curl -s -o /dev/null -f --max-time 2 "$BASE/v1/" 2>/dev/null; then first_ok="$(now_ms)"; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "server exited during startup"; }
    sleep 0.01
  done
  [ -n "$first_ok" ] || { tail -50 "$TMP/server.log" >&2; die "no successful GET /v1/ within 60 s"; }
  START_MS=$((first_ok - t0))
  # CPU the JVM used until then (all its threads, JIT included): what other processes on the
  # machine move least
  START_CPU_MS="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$SERVER_PID/stat")"
}

# Issue 11 counts start-up "from the second start on": the first start of a fresh database creates
# its schema (and, through the launcher, the class-data archive of a new jar); the second start
# (same database, same jar) is what an operator's restarts cost, and the one held to the target.
log "starting: ${START_CMD[*]} (in $TMP, storage $STORAGE_NAME, port $PORT)"
start_server
FIRST_START_MS="$START_MS"
log "first start (fresh database): first successful GET /v1/ after $FIRST_START_MS ms; stopping it"
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
start_server
STARTUP_MS="$START_MS"
STARTUP_CPU_MS="$START_CPU_MS"
JAVA_PID="$SERVER_PID"
log "second start (same database): first successful GET /v1/ after $STARTUP_MS ms"

sleep 3
IDLE_RSS_KB="$(rss_kb "$JAVA_PID" VmRSS)"
log "idle RSS $((IDLE_RSS_KB / 1024)) MB"

# ---- data set -------------------------------------------------------------------------------
USER_AUTH="Basic $(printf 'bench:bench' | base64)"
BUCKET="bench$(date +%s)$$"
api() { # method path [body] -> prints status
  local m="$1" p="$2" b="${3:-}"
  if [ -n "$b" ]; then
    curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: $USER_AUTH" -H 'Content-Type: application/json' --data-binary "$b" "$BASE/v1$p"
  else
    curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: $USER_AUTH" "$BASE/v1$p"
  fi
}
expect() { local got; got="$("${@:2}")"; [ "$got" = "$1" ] || die "$2 $3 answered $got, expected $1"; }

log "creating bucket $BUCKET and collections"
expect 201 api PUT "/buckets/$BUCKET"
expect 201 api PUT "/buckets/$BUCKET/collections/posts"

BATCH_SIZE=25
BATCH_BODY_TEMPLATE() { # collection -> batch body of $BATCH_SIZE record creations
  local reqs="" i
  for i in $(seq 1 "$BATCH_SIZE"); do
    reqs="$reqs${reqs:+,}{\"body\":{\"data\":{\"title\":\"record $i\",\"done\":false,\"tags\":[\"bench\",\"kinto4j\"],\"n\":$i}}}"
  done
  printf '{"defaults":{"method":"POST","path":"/buckets/%s/collections/%s/records"},"requests":[%s]}' "$BUCKET" "$1" "$reqs"
}

# populate COLLECTION N: creates the collection, a record "r0" and N-1 more through batches.
populate() {
  local coll="$1" n="$2" batches rest
  expect 201 api PUT "/buckets/$BUCKET/collections/$coll"
  expect 201 api PUT "/buckets/$BUCKET/collections/$coll/records/r0" '{"data":{"title":"record 0","done":false,"tags":["bench"],"n":0}}'
  BATCH_BODY_TEMPLATE "$coll" > "$TMP/batch-$coll.json"
  batches=$(( (n - 1) / BATCH_SIZE ))
  rest=$(( (n - 1) % BATCH_SIZE ))
  log "populating $coll with $n records ($batches batches of $BATCH_SIZE + $rest)"
  seq 1 "$batches" | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST \
    -H "Authorization: $USER_AUTH" -H 'Content-Type: application/json' \
    --data-binary "@$TMP/batch-$coll.json" "$BASE/v1/batch" > "$TMP/populate-$coll.status"
  if grep -qv '^200$' "$TMP/populate-$coll.status"; then die "a populate batch failed: $(sort "$TMP/populate-$coll.status" | uniq -c)"; fi
  local i
  for i in $(seq 1 "$rest"); do expect 201 api POST "/buckets/$BUCKET/collections/$coll/records" '{"data":{"title":"extra"}}'; done
  local total
  total="$(curl -s -I -H "Authorization: $USER_AUTH" "$BASE/v1/buckets/$BUCKET/collections/$coll/records" | tr -d '\r' | awk -F': ' 'tolower($1)=="total-objects"{print $2}')"
  [ "$total" = "$n" ] || die "collection $coll holds $total records, expected $n"
}

LIST_COLL="list$RECORDS"
populate "$LIST_COLL" "$RECORDS"
EXTRA_LIST=()
if [ -n "$LIST_SIZES" ]; then
  IFS=',' read -r -a EXTRA_LIST <<< "$LIST_SIZES"
  for n in "${EXTRA_LIST[@]}"; do
    [ "$n" = "$RECORDS" ] || populate "list$n" "$n"
  done
fi

# ---- scenarios ------------------------------------------------------------------------------
# name|label|method|auth|path|body|expected status
SCENARIOS=()
SCENARIOS+=("heartbeat|GET /v1/__lbheartbeat__ (ceiling)|GET||/v1/__lbheartbeat__||200")
wants hello && SCENARIOS+=("hello|GET /v1/|GET||/v1/||200")
wants post && SCENARIOS+=("post|POST record (basic auth)|POST|$USER_AUTH|/v1/buckets/$BUCKET/collections/posts/records|{\"data\":{\"title\":\"bench\",\"done\":false,\"tags\":[\"a\",\"b\"],\"n\":42}}|201")
wants get && SCENARIOS+=("get|GET record by id|GET|$USER_AUTH|/v1/buckets/$BUCKET/collections/$LIST_COLL/records/r0||200")
wants list && SCENARIOS+=("list|GET records?_limit=10 ($RECORDS records)|GET|$USER_AUTH|/v1/buckets/$BUCKET/collections/$LIST_COLL/records?_limit=10||200")
if wants list; then
  for n in "${EXTRA_LIST[@]}"; do
    [ "$n" = "$RECORDS" ] || SCENARIOS+=("list$n|GET records?_limit=10 ($n records)|GET|$USER_AUTH|/v1/buckets/$BUCKET/collections/list$n/records?_limit=10||200")
  done
fi

# run_wrk SECONDS method auth path body expect -> WRK_RESULT line
run_wrk() {
  BENCH_METHOD="$2" BENCH_AUTH="$3" BENCH_BODY="$5" BENCH_EXPECT="$6" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout 10s -s "$BENCH/lua/request.lua" "$BASE$4" 2>&1 \
    | grep '^WRK_RESULT' || true
}
field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<< " $1"; }

log "warming up each scenario: $([ "$WARMUP" = jit ] && echo "until the JIT compiler is idle (at most ${JIT_WARMUP_MAX} s)" || echo "${WARMUP}s")"
for s in "${SCENARIOS[@]}"; do
  IFS='|' read -r name label method auth path body exp <<< "$s"
  log "  $label: $(warm_up "$JAVA_PID" "$WARMUP" run_wrk "$method" "$auth" "$path" "$body" "$exp") s"
done

# Scenarios are measured in interleaved rounds (heartbeat, hello, post, get, list, heartbeat,
# ...), so that a burst of activity from other processes on the machine weighs on all of them
# alike. req/s = all requests / all measured time; p50/p99 = median over the rounds.
declare -A REQ DUR TICKS P50S P99S BAD
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$JAVA_PID/stat"; }
measure() { # round name label method auth path body expect
  local line req dur t0 t1
  log "round $1/$ROUNDS: $3 for ${DURATION}s"
  t0="$(cpu_ticks)"
  line="$(run_wrk "$DURATION" "$4" "$5" "$6" "$7" "$8")"
  t1="$(cpu_ticks)"
  [ -n "$line" ] || die "wrk produced no result for $3"
  req="$(field "$line" requests)"; dur="$(field "$line" duration_us)"
  REQ[$2]=$(( ${REQ[$2]:-0} + req )); DUR[$2]=$(( ${DUR[$2]:-0} + dur )); TICKS[$2]=$(( ${TICKS[$2]:-0} + t1 - t0 ))
  P50S[$2]="${P50S[$2]:-} $(field "$line" p50_us)"; P99S[$2]="${P99S[$2]:-} $(field "$line" p99_us)"
  BAD[$2]=$(( ${BAD[$2]:-0} + $(field "$line" unexpected_status) + $(field "$line" connect_errors) + $(field "$line" read_errors) + $(field "$line" write_errors) + $(field "$line" timeouts) ))
}
median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

if [ "$JFR" = 1 ]; then
  # Profile the measured rounds only (not startup, population or warm-up).
  command -v jcmd >/dev/null || die "--jfr needs jcmd (a JDK)"
  jcmd "$JAVA_PID" JFR.start name=bench settings=profile "filename=$TMP/bench.jfr" >&2
fi
for round in $(seq 1 "$ROUNDS"); do
  for s in "${SCENARIOS[@]}"; do
    IFS='|' read -r name label method auth path body exp <<< "$s"
    measure "$round" "$name" "$label" "$method" "$auth" "$path" "$body" "$exp"
  done
done
declare -A RPS P50 P99 CPU
for s in "${SCENARIOS[@]}"; do
  IFS='|' read -r name _ <<< "$s"
  RPS[$name]="$(awk -v r="${REQ[$name]}" -v d="${DUR[$name]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
  P50[$name]="$(median "${P50S[$name]}")"; P99[$name]="$(median "${P99S[$name]}")"
  # Server CPU time per request (user + system, all threads): unlike req/s it barely moves
  # when other processes compete for the cores.
  CPU[$name]="$(awk -v d="${TICKS[$name]}" -v r="${REQ[$name]}" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", d * 1e6 / hz / r }')"
done

if [ "$JFR" = 1 ]; then
  jcmd "$JAVA_PID" JFR.stop name=bench >&2
fi
AFTER_RSS_KB="$(rss_kb "$JAVA_PID" VmRSS)"
PEAK_RSS_KB="$(rss_kb "$JAVA_PID" VmHWM)"
CEILING="${RPS[heartbeat]}"

# Leave a shared PostgreSQL as we found it (deleting the bucket purges everything below it).
if [ -n "$POSTGRES" ]; then
  log "deleting bucket $BUCKET"
  api DELETE "/buckets/$BUCKET" > /dev/null || true
fi

# ---- stop ---------------------------------------------------------------------------------
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# ---- report ---------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { if (u >= 10000) printf "%.1f", u / 1000; else printf "%.2f", u / 1000 }'; }
target_of() {
  case "$1" in
    hello) echo 60 ;; get) echo 40 ;; post) echo 15 ;; list*) echo 25 ;; *) echo "" ;;
  esac
}
VERDICTS=()
echo
echo "kinto4j bench — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores, $STORAGE_NAME, start: $START_DESC"
echo "wrk -t$THREADS -c$CONNECTIONS; $ROUNDS interleaved rounds of ${DURATION}s per scenario after $([ "$WARMUP" = jit ] && echo "a warm-up until the JIT compiler is idle" || echo "${WARMUP}s warm-up") each"
echo "load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ratio = req/s over the heartbeat ceiling of the same rounds, GET /v1/__lbheartbeat__ ($CEILING req/s):"
echo "kinto4j serves the heartbeat there; /__lbheartbeat__ answers a 307 redirect to it"
echo
printf '| %-44s | %9s | %8s | %8s | %7s | %11s | %9s | %s\n' "scenario" "req/s" "p50 ms" "p99 ms" "ratio" "target" "CPU us/req" "errors"
printf '|%s|%s|%s|%s|%s|%s|%s|%s\n' "----------------------------------------------" "-----------" "----------" "----------" "---------" "-------------" "-----------" "-------"
for s in "${SCENARIOS[@]}"; do
  IFS='|' read -r name label _ <<< "$s"
  ratio="$(awk -v r="${RPS[$name]}" -v c="$CEILING" 'BEGIN { printf "%.0f%%", 100 * r / c }')"
  t="$(target_of "$name")"
  verdict=""
  if [ -n "$t" ]; then
    if awk -v r="${RPS[$name]}" -v c="$CEILING" -v t="$t" 'BEGIN { exit !(100 * r / c >= t) }'; then verdict="≥$t% met"; else verdict="≥$t% MISSED"; fi
    VERDICTS+=("$label: $ratio of the ceiling (target ≥ $t%): ${verdict##* }")
  fi
  printf '| %-44s | %9s | %8s | %8s | %7s | %11s | %10s | %s\n' "$label" "${RPS[$name]}" "$(ms "${P50[$name]}")" "$(ms "${P99[$name]}")" "$ratio" "${verdict:--}" "${CPU[$name]}" "${BAD[$name]}"
done
echo
printf '%-44s %s\n' "startup to first successful GET /v1/:" "$STARTUP_MS ms, second start, $STARTUP_CPU_MS ms of JVM CPU (target ≤ 1000 ms: $([ "$STARTUP_MS" -le 1000 ] && echo met || echo MISSED)); first start of the fresh database $FIRST_START_MS ms"
printf '%-44s %s\n' "RSS at idle (3 s after startup):" "$((IDLE_RSS_KB / 1024)) MB (target ≤ 128 MB: $([ "$IDLE_RSS_KB" -le $((128 * 1024)) ] && echo met || echo MISSED))"
printf '%-44s %s\n' "RSS after the load:" "$((AFTER_RSS_KB / 1024)) MB"
printf '%-44s %s\n' "peak RSS (VmHWM, whole run incl. populate):" "$((PEAK_RSS_KB / 1024)) MB (target ≤ 256 MB: $([ "$PEAK_RSS_KB" -le $((256 * 1024)) ] && echo met || echo MISSED))"
if [ "${#EXTRA_LIST[@]}" -gt 0 ] && wants list; then
  smallest="" largest=""
  for n in "$RECORDS" "${EXTRA_LIST[@]}"; do
    key="list$n"; [ "$n" = "$RECORDS" ] && key=list
    if [ -z "$smallest" ] || [ "$n" -lt "$smallest" ]; then smallest="$n"; skey="$key"; fi
    if [ -z "$largest" ] || [ "$n" -gt "$largest" ]; then largest="$n"; lkey="$key"; fi
  done
  ratio="$(awk -v a="${RPS[$lkey]}" -v b="${RPS[$skey]}" 'BEGIN { printf "%.2f", a / b }')"
  printf '%-44s %s\n' "_limit=10 page, $largest vs $smallest records:" "$ratio x the req/s ($([ "$(awk -v r="$ratio" 'BEGIN{print (r >= 0.9)}')" = 1 ] && echo "no slower within 10%: met" || echo "slower: MISSED"))"
fi
total_bad=0
for k in "${!BAD[@]}"; do total_bad=$((total_bad + BAD[$k])); done
[ "$total_bad" -eq 0 ] || echo "WARNING: $total_bad unexpected statuses or socket errors (see the errors column)"

if [ "$JFR" = 1 ]; then
  echo
  if [ -f "$TMP/bench.jfr" ]; then
    "$BENCH/jfr-top.sh" "$TMP/bench.jfr" 25
    echo "(profile: $TMP/bench.jfr)"
  else
    echo "no JFR file was written"
  fi
fi

