#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples (jdk.ExecutionSample): hottest frames by self
# time, hottest methods by inclusive time, and samples per thread group.
#   bench/jfr-top.sh FILE.jfr [N] [FILTER]
# FILTER (a regex, default: everything) keeps only the inclusive rows whose method matches,
# e.g. 'org\.kinto4j|org\.h2|jdbi'.
set -euo pipefail
FILE="$1"
N="${2:-25}"
FILTER="${3:-.}"
command -v jfr >/dev/null || { echo "the jfr tool (JDK) is required" >&2; exit 1; }

jfr print --events jdk.ExecutionSample --stack-depth 96 "$FILE" | awk -v n="$N" -v filter="$FILTER" '
  /^jdk.ExecutionSample/ { total++; inStack = 0; depth = 0; delete seen; next }
  /sampledThread = / {
    t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t)
    gsub(/[-#]?[0-9]+$/, "", t); threads[t]++
  }
  /stackTrace = \[/ { inStack = 1; next }
  inStack && /^[[:space:]]*\]/ { inStack = 0; next }
  inStack {
    f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f)
    if (f == "...") next
    if (depth == 0) self[f]++
    depth++
    if (!(f in seen)) { seen[f] = 1; incl[f]++ }
  }
  END {
    if (total == 0) { print "no execution samples"; exit }
    printf "JFR CPU samples: %d\n\n", total
    printf "Samples per thread group:\n"
    for (t in threads) printf "  %6.1f%%  %s\n", 100 * threads[t] / total, t | "sort -rn"
    close("sort -rn")
    printf "\nTop %d frames by self time:\n", n
    for (f in self) printf "  %6.1f%%  %s\n", 100 * self[f] / total, f | ("sort -rn | head -" n)
    close("sort -rn | head -" n)
    printf "\nTop %d methods by inclusive time (matching /%s/):\n", n, filter
    for (f in incl) if (f ~ filter) printf "  %6.1f%%  %s\n", 100 * incl[f] / total, f | ("sort -rn | head -" n)
    close("sort -rn | head -" n)
  }'
