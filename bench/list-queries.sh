#!/usr/bin/env bash
# Issue 9's list scenarios, on H2 and on PostgreSQL, in one command: starts kinto4j through the
# launcher (bin/kinto4j) on a temporary H2 database, then on PostgreSQL (--postgres URL, or
# KINTO4J_TEST_POSTGRES_URL), fills collections of each size (in SQL by default) and runs
# bench/ListQueries.java against each server: _limit=10, 1 % equality filter, one-match filter,
# sort on a data field, filtered HEAD count, the same on declared indexes (storage.indexes),
# record GET and POST (single requests: bench/run.sh measures write throughput). Prints medians, p90, ratios to the _limit=10 page, the server's peak RSS
# and the load average. --kinto URL runs the same scenarios against an upstream Kinto as well.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: bench/list-queries.sh [options]

  --sizes A,B,...     collection sizes (default 1000,10000,100000)
  --rounds N          measured rounds per scenario and size (default 30)
  --batch N           records per /v1/batch request while filling (default 500)
  --storage LIST      h2,postgres (default: both; postgres needs a URL)
  --postgres JDBC_URL PostgreSQL to use (default: $KINTO4J_TEST_POSTGRES_URL); the bench works in a
                      private schema it creates and drops when psql is installed, else in a bucket
                      of its own
  --kinto URL         also run the scenarios against an upstream Kinto (e.g. http://127.0.0.1:8889;
                      start it on PostgreSQL for the side-by-side ratio, with its batch_max_requests
                      at least --batch, or pass --batch 25)
  --fill sql|http     how the collections are filled (default sql: straight into the objects table,
                      seconds instead of many minutes on a loaded machine; http: /v1/batch PUTs,
                      also what happens with --kinto and on PostgreSQL without psql)
  --no-build          use the existing server/target/kinto4j.jar
  --keep              keep the temporary directories (databases, server logs)
  -h, --help          this text
USAGE
}

SIZES="1000,10000,100000"
ROUNDS=30
BATCH=500
STORAGES="h2,postgres"
POSTGRES="${KINTO4J_TEST_POSTGRES_URL:-}"
KINTO=""
FILL=sql
BUILD=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --storage) STORAGES="$2"; shift 2 ;;
    --postgres) POSTGRES="$2"; shift 2 ;;
    --kinto) KINTO="$2"; shift 2 ;;
    --fill) FILL="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "list-queries.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

JAR="$ROOT/server/target/kinto4j.jar"
if [ "$BUILD" = 1 ]; then
  echo "Building the server (mvn -q -B package -DskipTests)..." >&2
  (cd "$ROOT" && mvn -q -B package -DskipTests -pl listener-api,listeners-builtin,server </dev/null >&2)
fi
[ -f "$JAR" ] || { echo "list-queries.sh: $JAR is missing (run without --no-build)" >&2; exit 1; }

BUCKET="lq$(date +%s)$$"
SERVER_PID=""
WORK=""
SCHEMA=""
PSQL_URL=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [ -n "$SCHEMA" ] && [ "$KEEP" = 0 ]; then
    psql "$PSQL_URL" -q -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  fi
  if [ -n "$WORK" ] && [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
  [ "$KEEP" = 1 ] && [ -n "$WORK" ] && echo "Kept $WORK" >&2
  true
}
trap cleanup EXIT

indexes_conf() {
  local out="" size
  for size in ${SIZES//,/ }; do
    out="$out${out:+, }\"$BUCKET/c$size:ki\", \"$BUCKET/c$size:gi\""
  done
  echo "[$out]"
}

# start_server JDBC_URL: starts bin/kinto4j on $WORK/server.conf, sets SERVER_PID and PORT.
start_server() {
  PORT=""
  : >"$WORK/server.log"
  (cd "$WORK" && exec env KINTO4J_JAR="$WORK/kinto4j.jar" \
    JAVA_OPTS="-Dlogback.configurationFile=$WORK/logback.xml -DKINTO4J_LOG=$WORK/server.log" \
    "$ROOT/bin/kinto4j" start --config "$WORK/server.conf" >"$WORK/stdout.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    PORT="$( { sed -n 's|.*kinto4j listening on http://[^:]*:\([0-9]*\)/v1/.*|\1|p' "$WORK/server.log" 2>/dev/null || true; } | head -1)"
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/stdout.log" "$WORK/server.log" >&2 2>/dev/null; exit 1; }
    sleep 0.5
  done
  [ -n "$PORT" ] || { echo "list-queries.sh: the server did not start (see $WORK/server.log)" >&2; KEEP=1; exit 1; }
}

# fill_sql KIND JDBC_URL: inserts the records of every size straight into the objects table
# (what the HTTP fill would store: id, last_modified in data, strictly increasing timestamps,
# the collection timestamp), with the server stopped on H2 (the embedded file is exclusive).
fill_sql() {
  local kind="$1" url="$2" size t0 sql="" parent doc
  t0=$(( $(date +%s%3N) - 400000 ))
  for size in ${SIZES//,/ }; do
    parent="/buckets/$BUCKET/collections/c$size"
    if [ "$kind" = h2 ]; then
      doc="'{\"n\":' || X || ',\"g\":' || MOD(X, 100) || ',\"ki\":' || X || ',\"gi\":' || MOD(X, 100) || ',\"title\":\"record ' || X || '\",\"id\":\"r' || X || '\",\"last_modified\":' || ($t0 + X) || '}'"
      sql="$sql INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) SELECT 'record', '$parent', 'r' || X, $t0 + X, FALSE, $doc FROM SYSTEM_RANGE(0, $((size - 1)));"
      sql="$sql MERGE INTO timestamps KEY (parent_id, resource_name) VALUES ('$parent', 'record', $((t0 + size)));"
    else
      doc="jsonb_build_object('n', x, 'g', x % 100, 'ki', x, 'gi', x % 100, 'title', 'record ' || x, 'id', 'r' || x, 'last_modified', $t0 + x)"
      sql="$sql INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) SELECT 'record', '$parent', 'r' || x, $t0 + x, FALSE, $doc FROM generate_series(0, $((size - 1))) AS x;"
      sql="$sql INSERT INTO timestamps VALUES ('$parent', 'record', $((t0 + size))) ON CONFLICT (parent_id, resource_name) DO UPDATE SET last_modified = EXCLUDED.last_modified;"
    fi
    t0=$((t0 + size + 1000))
  done
  local start; start=$(date +%s)
  if [ "$kind" = h2 ]; then
    java -cp "$WORK/kinto4j.jar" org.h2.tools.Shell -url "$url" -user "" -password "" -sql "$sql" >"$WORK/fill.log"
  else
    psql "$PSQL_URL" -q -v ON_ERROR_STOP=1 -c "SET search_path TO $SCHEMA" -c "$sql" -c "ANALYZE objects" >"$WORK/fill.log"
  fi
  echo "filled sizes $SIZES in SQL in $(( $(date +%s) - start )) s"
}

# run_kinto4j LABEL KIND JDBC_URL
run_kinto4j() {
  local label="$1" kind="$2" storage="$3" pid_hwm
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/kinto4j-list-queries.XXXXXX")"
  storage="${storage//@WORK@/$WORK}"
  cp "$JAR" "$WORK/kinto4j.jar"
  cat >"$WORK/server.conf" <<CONF
http.host = "127.0.0.1"
http.port = 0
storage.url = "$storage"
storage.indexes = $(indexes_conf)
plugins_dir = "$WORK/plugins"
batch_max_requests = $BATCH
http.max_body_size = 67108864
CONF
  cat >"$WORK/logback.xml" <<'XML'
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${KINTO4J_LOG}</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.kinto4j.server.http.HttpServer" level="INFO"/>
  <logger name="org.kinto4j.server.storage" level="INFO"/>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
XML
  if [ "$FILL" = sql ] && { [ "$kind" = h2 ] || [ -n "$SCHEMA" ]; }; then
    start_server
    java "$ROOT/bench/ListQueries.java" "http://127.0.0.1:$PORT" "$BUCKET" "$SIZES" 0 0 --setup-only
    [ "$kind" = h2 ] && stop_server
    fill_sql "$kind" "$storage"
    [ "$kind" = h2 ] && start_server
  else
    start_server
  fi
  echo "== kinto4j, $label, bin/kinto4j, sizes $SIZES, $ROUNDS rounds, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  java "$ROOT/bench/ListQueries.java" "http://127.0.0.1:$PORT" "$BUCKET" "$SIZES" "$ROUNDS" "$BATCH"
  pid_hwm="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)"
  echo "peak RSS of the server process (VmHWM, since its last start): $((pid_hwm / 1024)) MB; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  stop_server
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
  WORK=""
}

for storage in ${STORAGES//,/ }; do
  case "$storage" in
    h2) run_kinto4j "H2" h2 "jdbc:h2:file:@WORK@/db/kinto4j" ;;
    postgres)
      if [ -z "$POSTGRES" ]; then
        echo "== PostgreSQL skipped: give --postgres JDBC_URL or set KINTO4J_TEST_POSTGRES_URL"
        continue
      fi
      url="$POSTGRES"
      if command -v psql >/dev/null 2>&1; then
        PSQL_URL="${POSTGRES#jdbc:}"
        SCHEMA="bench_$BUCKET"
        psql "$PSQL_URL" -q -c "CREATE SCHEMA $SCHEMA" >/dev/null
        url="$POSTGRES$([[ "$POSTGRES" == *\?* ]] && echo '&' || echo '?')currentSchema=$SCHEMA"
      fi
      run_kinto4j "PostgreSQL" postgres "$url"
      ;;
    *) echo "list-queries.sh: unknown storage $storage (h2, postgres)" >&2; exit 2 ;;
  esac
done

if [ -n "$KINTO" ]; then
  echo "== upstream Kinto at $KINTO, sizes $SIZES, $ROUNDS rounds, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "   (no declared index there: its '(declared index)' rows are the same scenarios without one)"
  java "$ROOT/bench/ListQueries.java" "$KINTO" "$BUCKET" "$SIZES" "$ROUNDS" "$BATCH"
fi
