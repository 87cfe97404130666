#!/usr/bin/env bash
# List pages stay flat in cost as a collection grows: starts kinto4j on a temporary H2 database
# (or --postgres), fills a 1,000-record and a 100,000-record collection, times a `_limit=10`
# page and `_since`+`_limit` pages on both in the same run, and prints the medians and the
# ratio 100,000/1,000 (about 1 when the page is an index range scan). bench/ListScaling.java
# does the work; Java 17 runs it from source.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: bench/list-scaling.sh [options]

  --sizes A,B,...     collection sizes (default 1000,100000; the ratio is last/first)
  --rounds N          measured requests per page and size (default 400)
  --batch N           records per /v1/batch request while filling (default 1000)
  --postgres JDBC_URL PostgreSQL storage instead of a temporary H2 database
  --no-build          use the existing server/target/kinto4j.jar
  --jar PATH          run this server jar (implies --no-build)
  --keep              keep the temporary directory (database, server.log)
  -h, --help          this text
USAGE
}

SIZES="1000,100000"
JAR="$ROOT/server/target/kinto4j.jar"
ROUNDS=400
BATCH=1000
POSTGRES=""
BUILD=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --postgres) POSTGRES="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --jar) JAR="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; BUILD=0; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "list-scaling.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$BUILD" = 1 ]; then
  echo "Building the server (mvn -q -B package -DskipTests)..." >&2
  (cd "$ROOT" && mvn -q -B package -DskipTests -pl listener-api,listeners-builtin,server </dev/null >&2)
fi
[ -f "$JAR" ] || { echo "list-scaling.sh: $JAR is missing (run without --no-build)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kinto4j-list-scaling.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then
    echo "Kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# The server's copy of the JAR, so that a concurrent build cannot replace it under the JVM.
cp "$JAR" "$WORK/kinto4j.jar"
STORAGE="jdbc:h2:file:$WORK/db/kinto4j"
[ -n "$POSTGRES" ] && STORAGE="$POSTGRES"
LARGEST="${SIZES##*,}"
cat >"$WORK/server.conf" <<CONF
http.host = "127.0.0.1"
http.port = 0
storage.url = "$STORAGE"
plugins_dir = "$WORK/plugins"
# Large batches fill the big collection quickly; the measured requests are plain GETs.
batch_max_requests = $BATCH
http.max_body_size = 67108864
CONF

# Logging at WARN keeps the access log (one line per request) out of the measurement.
cat >"$WORK/logback.xml" <<'XML'
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${KINTO4J_LOG}</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.kinto4j.server.http.HttpServer" level="INFO"/>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
XML

(cd "$WORK" && exec java -Dlogback.configurationFile="$WORK/logback.xml" -DKINTO4J_LOG="$WORK/server.log" \
  -jar "$WORK/kinto4j.jar" start --config "$WORK/server.conf" >"$WORK/stdout.log" 2>&1) &
SERVER_PID=$!

PORT=""
for _ in $(seq 1 120); do
  PORT="$( { sed -n 's|.*kinto4j listening on http://[^:]*:\([0-9]*\)/v1/.*|\1|p' "$WORK/server.log" 2>/dev/null || true; } | head -1)"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/stdout.log" "$WORK/server.log" >&2 2>/dev/null; exit 1; }
  sleep 0.5
done
[ -n "$PORT" ] || { echo "list-scaling.sh: the server did not start (see $WORK/server.log)" >&2; KEEP=1; exit 1; }

echo "kinto4j on port $PORT ($STORAGE), sizes $SIZES, $ROUNDS measured requests per page and size"
java "$ROOT/bench/ListScaling.java" "http://127.0.0.1:$PORT" "$SIZES" "$ROUNDS" "$BATCH"
