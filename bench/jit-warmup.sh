# Sourced by the bench scripts: their warm-up, a fixed time or until the JIT compiler is idle.
#
# On two cores the optimising compiler (C2) of a fresh server keeps compiling for about a minute
# of record POSTs (1,500+ methods of Jetty, Javalin, Jdbi, H2 and Jackson reach its threshold
# one after the other, each waiting for a time slice), and meanwhile takes 30-50 % of a core:
# a 5 s warm-up measures that, not the server (POST 400 req/s at 5 s, 950 after 70 s).
# bench/RESULTS.md has the measurement.

# CPU ticks of the JVM's C2 compiler threads so far.
c2_ticks() { # pid
  local t total=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "C2 CompilerThre"*) total=$((total + $(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'))) ;;
    esac
  done
  echo "$total"
}

JIT_WARMUP_MAX=240

# Whether VALUE is a --warmup value: whole seconds, or "jit".
warmup_valid() { # value
  [ "$1" = jit ] || [[ "$1" =~ ^[0-9]+$ ]]
}

# Warms the server up with LOAD_COMMAND, which is called with a number of seconds first (then
# its own arguments) and must load the server that long: WARMUP seconds of it, or with
# WARMUP=jit, 5 s slices until two in a row cost the C2 threads under 2 % of a core (at most
# JIT_WARMUP_MAX s). Prints the seconds spent.
warm_up() { # pid warmup load-command [args...]
  local pid="$1" warmup="$2" quiet=0 spent=0 before after
  shift 2
  if [ "$warmup" != jit ]; then
    [ "$warmup" -gt 0 ] && "$1" "$warmup" "${@:2}" > /dev/null
    echo "$warmup"
    return
  fi
  while [ "$spent" -lt "$JIT_WARMUP_MAX" ]; do
    before="$(c2_ticks "$pid")"
    "$1" 5 "${@:2}" > /dev/null
    after="$(c2_ticks "$pid")"
    spent=$((spent + 5))
    if [ $((after - before)) -lt $(($(getconf CLK_TCK) / 10)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 2 ] && break
  done
  echo "$spent"
}

# A fixed-rate trickle of record POSTs to URL for SECONDS, to run alongside a warm-up whose
# measured window is paced (bench/lua/paced.lua: 32 connections, each idle between its requests).
# Such requests take branches in Jetty's request reading that saturating POSTs never take; when
# the warm-up had only the latter, the JIT threw Jetty's compiled request path away about 2 s into
# the window and the delay's tail measured the recompilation (bench/RESULTS.md). Needs BENCH.
paced_side_load() { # seconds url authorization
  BENCH_RATE=100 BENCH_AUTH="$3" wrk -t1 -c32 -d "${1}s" -s "$BENCH/lua/paced.lua" "$2" > /dev/null 2>&1 || true
}
