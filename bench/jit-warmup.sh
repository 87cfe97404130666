# Sourced by the bench scripts: warm-up until the JIT compiler is idle.
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

# Runs LOAD_COMMAND (which puts 5 s of load on the server) until two 5 s slices in a row
# cost C2 under 2 % of a core, at most MAX_SECONDS; prints the seconds it took.
warm_until_jit_idle() { # pid max-seconds load-command...
  local pid="$1" max="$2" quiet=0 spent=0 before after
  shift 2
  while [ "$spent" -lt "$max" ]; do
    before="$(c2_ticks "$pid")"
    "$@" > /dev/null
    after="$(c2_ticks "$pid")"
    spent=$((spent + 5))
    if [ $((after - before)) -lt $(($(getconf CLK_TCK) / 10)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 2 ] && break
  done
  echo "$spent"
}
