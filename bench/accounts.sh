#!/usr/bin/env bash
# Login cost of the accounts plugin, in one run of the real jar (bcrypt cost 12, Kinto's):
#   - a remembered login (cache hit: one primary-key read, no bcrypt) vs basicauth (no account check)
#   - a failed login for an existing account vs for a name with no account, a new password each
#     time (both one bcrypt comparison: their ratio should be near 1, so timing does not tell
#     whether an account exists); a repeated failure is remembered like a success
# Usage: bench/accounts.sh [--no-build] [--rounds N]     (prints medians in ms and the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
rounds=15
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --rounds) rounds="$2"; shift ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$build" = 1 ] && mvn -B -q package -DskipTests -o -pl server -am
tmp="$(mktemp -d)"
cp server/target/kinto4j.jar "$tmp/kinto4j.jar"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$tmp/server.conf" <<EOF
http.port = $port
storage.url = "jdbc:h2:file:$tmp/db/kinto4j"
plugins_dir = "$tmp/plugins"
includes = [accounts]
multiauth.policies = [account, basicauth]
account_create_principals = [system.Everyone]
EOF
(cd "$tmp" && exec java -jar kinto4j.jar start --config "$tmp/server.conf" > "$tmp/server.log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
base="http://127.0.0.1:$port/v1"
until curl -sf -o /dev/null "$base/"; do sleep 0.05; done
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"data":{"password":"right-pw"}}' "$base/accounts/alice"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
timed() { # user:password (%d: the round number) -> median total time in ms over $rounds GET /v1/
  for i in $(seq "$rounds"); do curl -s -o /dev/null -w '%{time_total}\n' -u "$(printf "$1" "$i")" "$base/"; done \
    | awk '{print $1*1000}' | median
}
timed alice:right-pw > /dev/null          # warm-up: JIT and the remembered login
timed bob:any-pw > /dev/null
cached="$(timed alice:right-pw)"
basic="$(timed bob:any-pw)"
wrong="$(timed alice:wrong-%d)"
missing="$(timed nobody%d:wrong)"
echo "median GET /v1/ over $rounds requests, ms (load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  account, remembered login   $cached"
echo "  basicauth user (behind it)  $basic"
echo "  account, new wrong password $wrong"
echo "  no such account, new name   $missing"
awk -v w="$wrong" -v m="$missing" -v c="$cached" -v b="$basic" 'BEGIN {
  printf "  ratio wrong/missing %.2f, remembered/basicauth %.2f, wrong/remembered %.0f\n", w/m, c/b, w/c }'
