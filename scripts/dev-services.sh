#!/usr/bin/env bash
# Installs and starts the services kinto4j's tests use: PostgreSQL (a kinto4j role and a
# kinto4j_test database) and Redis on 127.0.0.1:6379. Debian/Ubuntu; run as root or with sudo.
#
#   bash scripts/dev-services.sh                 # progress on stderr, `export ...` lines on stdout
#   eval "$(bash scripts/dev-services.sh)"       # the same, exporting into the current shell
#
# Safe to run again: installed packages, a running PostgreSQL cluster, an existing role and
# database, and a Redis that already answers are left as they are.
#
# .ci/run sources this file and calls kinto4j_services_up, so CI and developers share one recipe.

KINTO4J_PG_USER="${KINTO4J_PG_USER:-kinto4j}"
KINTO4J_PG_PASSWORD="${KINTO4J_PG_PASSWORD:-kinto4j}"
KINTO4J_PG_DATABASE="${KINTO4J_PG_DATABASE:-kinto4j_test}"
KINTO4J_PG_PORT="${KINTO4J_PG_PORT:-5432}"
KINTO4J_REDIS_PORT="${KINTO4J_REDIS_PORT:-6379}"
KINTO4J_SERVICES_DIR="${KINTO4J_SERVICES_DIR:-/tmp/kinto4j-services}"
KINTO4J_SERVICE_WAIT_SECONDS="${KINTO4J_SERVICE_WAIT_SECONDS:-60}"

kinto4j_section() {
  printf '\n========== %s ==========\n' "$*" >&2
}

kinto4j_say() {
  printf '%s\n' "$*" >&2
}

kinto4j_die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
kinto4j_as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    kinto4j_die "'$*' needs root: run this script as root or install sudo"
  fi
}

# Runs a command as the postgres OS user (PostgreSQL's superuser, over the local socket).
kinto4j_as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -u postgres -- "$@")
  fi
}

# Polls "$@" once a second until it succeeds, at most KINTO4J_SERVICE_WAIT_SECONDS times.
kinto4j_wait_for() {
  local what="$1"
  shift
  local attempt
  for ((attempt = 1; attempt <= KINTO4J_SERVICE_WAIT_SECONDS; attempt++)); do
    if "$@" >/dev/null 2>&1; then
      kinto4j_say "$what: ready"
      return 0
    fi
    sleep 1
  done
  kinto4j_say "$what: not ready after ${KINTO4J_SERVICE_WAIT_SECONDS}s"
  return 1
}

# Runs "$@" up to 3 times, 5 s apart (package mirrors have bad moments).
kinto4j_retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    kinto4j_say "attempt $attempt of 3 failed: $*"
    ((attempt < 3)) && sleep 5
  done
  return 1
}

kinto4j_package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

kinto4j_install_packages() {
  kinto4j_section "Packages: postgresql redis-server"
  local missing=() package
  for package in postgresql redis-server; do
    kinto4j_package_installed "$package" || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    kinto4j_say "postgresql and redis-server are already installed"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 \
    || kinto4j_die "${missing[*]} missing and there is no apt-get: install them with your package manager"
  kinto4j_say "installing: ${missing[*]}"
  kinto4j_retry kinto4j_as_root env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null \
    || kinto4j_die "apt-get update failed (output above)"
  kinto4j_retry kinto4j_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null \
    || kinto4j_die "apt-get install ${missing[*]} failed (output above)"
}

# Debian's chromium for the listener console's browser test (driven over the DevTools protocol,
# so no chromedriver is needed). Only installed when no chromium is on the PATH.
kinto4j_install_chromium() {
  kinto4j_section "Chromium for the listener console test"
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    kinto4j_say "chromium is already installed"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 \
    || kinto4j_die "chromium missing and there is no apt-get: install it with your package manager"
  kinto4j_retry kinto4j_as_root env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null \
    || kinto4j_die "apt-get update failed (output above)"
  kinto4j_retry kinto4j_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends chromium </dev/null \
    || kinto4j_die "apt-get install chromium failed (output above)"
}

# The newest PostgreSQL major version that has a cluster configured under /etc/postgresql.
kinto4j_pg_version() {
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true
}

kinto4j_pg_ready() {
  pg_isready -q -h 127.0.0.1 -p "$KINTO4J_PG_PORT"
}

kinto4j_start_postgres() {
  kinto4j_section "PostgreSQL on 127.0.0.1:$KINTO4J_PG_PORT"
  if kinto4j_pg_ready; then
    kinto4j_say "already accepting connections"
    return 0
  fi
  local version
  version="$(kinto4j_pg_version)"
  if [[ -z "$version" ]]; then
    version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$version" ]] || kinto4j_die "no PostgreSQL under /usr/lib/postgresql: is the postgresql package installed?"
    kinto4j_say "no cluster yet: creating $version/main"
    kinto4j_as_root pg_createcluster --port "$KINTO4J_PG_PORT" "$version" main
  fi
  kinto4j_say "starting cluster $version/main"
  # "already running" is not an error: the wait below decides
  kinto4j_as_root pg_ctlcluster "$version" main start || true
  if ! kinto4j_wait_for "PostgreSQL" kinto4j_pg_ready; then
    pg_lsclusters >&2 || true
    tail -n 30 "/var/log/postgresql/postgresql-$version-main.log" >&2 || true
    kinto4j_die "PostgreSQL $version/main did not start on port $KINTO4J_PG_PORT (log above)"
  fi
}

kinto4j_psql_superuser() {
  kinto4j_as_postgres psql -p "$KINTO4J_PG_PORT" -v ON_ERROR_STOP=1 -qAtX "$@"
}

kinto4j_create_test_database() {
  kinto4j_section "PostgreSQL role $KINTO4J_PG_USER and database $KINTO4J_PG_DATABASE"
  local role_exists
  role_exists="$(kinto4j_psql_superuser -c "SELECT 1 FROM pg_roles WHERE rolname = '$KINTO4J_PG_USER'")"
  if [[ "$role_exists" == 1 ]]; then
    kinto4j_say "role $KINTO4J_PG_USER exists (password reset to the expected one)"
    kinto4j_psql_superuser -c "ALTER ROLE \"$KINTO4J_PG_USER\" LOGIN PASSWORD '$KINTO4J_PG_PASSWORD'"
  else
    kinto4j_say "creating role $KINTO4J_PG_USER"
    kinto4j_psql_superuser -c "CREATE ROLE \"$KINTO4J_PG_USER\" LOGIN PASSWORD '$KINTO4J_PG_PASSWORD'"
  fi
  # Strings sort by code point (LC_COLLATE C, as on H2); case folds for every letter, not only
  # ASCII (LC_CTYPE C.UTF-8: with C, ILIKE 'été' misses 'ÉTÉ'). A test database made otherwise
  # (by an older version of this script) is made again.
  local wanted="UTF8|C|C.UTF-8" found
  found="$(kinto4j_psql_superuser -c "SELECT pg_encoding_to_char(encoding) || '|' || datcollate || '|' || datctype FROM pg_database WHERE datname = '$KINTO4J_PG_DATABASE'")"
  if [[ "$found" == "$wanted" ]]; then
    kinto4j_say "database $KINTO4J_PG_DATABASE exists"
  else
    if [[ -n "$found" ]]; then
      kinto4j_say "database $KINTO4J_PG_DATABASE has encoding|collate|ctype $found, not $wanted: making it again"
      kinto4j_psql_superuser -c "DROP DATABASE \"$KINTO4J_PG_DATABASE\" WITH (FORCE)"
    fi
    kinto4j_say "creating database $KINTO4J_PG_DATABASE"
    kinto4j_psql_superuser -c "CREATE DATABASE \"$KINTO4J_PG_DATABASE\" OWNER \"$KINTO4J_PG_USER\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
  fi
  PGPASSWORD="$KINTO4J_PG_PASSWORD" psql -h 127.0.0.1 -p "$KINTO4J_PG_PORT" -U "$KINTO4J_PG_USER" \
    -d "$KINTO4J_PG_DATABASE" -qAtX -c 'SELECT 1' >/dev/null \
    || kinto4j_die "cannot log in as $KINTO4J_PG_USER to $KINTO4J_PG_DATABASE over TCP (check pg_hba.conf)"
  kinto4j_say "password login over TCP works"
}

kinto4j_redis_ready() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$KINTO4J_REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

kinto4j_start_redis() {
  kinto4j_section "Redis on 127.0.0.1:$KINTO4J_REDIS_PORT"
  if kinto4j_redis_ready; then
    kinto4j_say "already answering PING"
    return 0
  fi
  mkdir -p "$KINTO4J_SERVICES_DIR"
  kinto4j_say "starting redis-server (log: $KINTO4J_SERVICES_DIR/redis.log)"
  redis-server --bind 127.0.0.1 --port "$KINTO4J_REDIS_PORT" --daemonize yes \
    --save '' --appendonly no --dir "$KINTO4J_SERVICES_DIR" \
    --pidfile "$KINTO4J_SERVICES_DIR/redis.pid" --logfile "$KINTO4J_SERVICES_DIR/redis.log" \
    || true
  if ! kinto4j_wait_for "Redis" kinto4j_redis_ready; then
    tail -n 30 "$KINTO4J_SERVICES_DIR/redis.log" >&2 || true
    kinto4j_die "redis-server did not answer on 127.0.0.1:$KINTO4J_REDIS_PORT (log above)"
  fi
}

kinto4j_export_test_urls() {
  export KINTO4J_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$KINTO4J_PG_PORT/$KINTO4J_PG_DATABASE?user=$KINTO4J_PG_USER&password=$KINTO4J_PG_PASSWORD"
  export KINTO4J_TEST_REDIS_URL="redis://127.0.0.1:$KINTO4J_REDIS_PORT/0"
}

# Everything: packages, PostgreSQL, the test database, Redis, and the two exported variables.
kinto4j_services_up() {
  kinto4j_install_packages
  kinto4j_start_postgres
  kinto4j_create_test_database
  kinto4j_start_redis
  kinto4j_export_test_urls
  kinto4j_section "Test services are up"
  kinto4j_say "KINTO4J_TEST_POSTGRES_URL=$KINTO4J_TEST_POSTGRES_URL"
  kinto4j_say "KINTO4J_TEST_REDIS_URL=$KINTO4J_TEST_REDIS_URL"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  kinto4j_services_up >&2 # stdout carries only the export lines, for eval
  kinto4j_say ""
  kinto4j_say "Export these before running the tests (or run: eval \"\$(bash scripts/dev-services.sh)\"):"
  printf "export KINTO4J_TEST_POSTGRES_URL='%s'\n" "$KINTO4J_TEST_POSTGRES_URL"
  printf "export KINTO4J_TEST_REDIS_URL='%s'\n" "$KINTO4J_TEST_REDIS_URL"
fi
