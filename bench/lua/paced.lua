-- Open-loop POSTs at a fixed rate with wrk (run it with -t1 and enough connections to absorb
-- the server's latency, e.g. -c32): each connection, when free, takes the next send slot of
-- one schedule (one slot every 1/BENCH_RATE s) and waits for it, so the rate does not follow
-- the answers as wrk's closed loop does. A connection that finds its slot already past sends
-- at once (the client catches up after a stall of the server). Costs a fraction of what a JVM
-- client costs per request, which matters when client, server and consumer share 2 cores.
--   BENCH_RATE    requests per second
--   BENCH_AUTH    Authorization header; BENCH_BODY  JSON body; BENCH_EXPECT expected status (201)
--   BENCH_ACKS    file: one "last_modified arrival_ms" line per expected answer (optional)
-- done() prints: PACED_RESULT target_rps=R sent=N ok=N late=N achieved_rps=X

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } k4j_timeval;
int gettimeofday(k4j_timeval *tv, void *tz);
]]
local tv = ffi.new("k4j_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local rate = tonumber(os.getenv("BENCH_RATE") or "100")
local period = 1000 / rate
local expected = tonumber(os.getenv("BENCH_EXPECT") or "201")
local acks_path = os.getenv("BENCH_ACKS")

wrk.method = "POST"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY") or '{"data":{"title":"paced"}}'

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

-- per-thread state (each wrk thread runs its own copy of this script)
local next_slot = nil
ok, late, unexpected = 0, 0, 0
local acks = nil

delay = function()
  local now = now_ms()
  next_slot = (next_slot or now) + period
  local wait = next_slot - now
  if wait < 0 then
    late = late + 1
    return 0
  end
  return math.floor(wait)
end

response = function(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    return
  end
  ok = ok + 1
  if acks_path then
    if not acks then
      acks = io.open(acks_path, "w")
      acks:setvbuf("line")
    end
    local lm = string.match(body, '"last_modified":(%d+)')
    if lm then
      acks:write(lm, " ", string.format("%d", now_ms()), "\n")
    end
  end
end

done = function(summary, latency, requests)
  local t = threads[1]
  io.write(string.format("PACED_RESULT target_rps=%.0f sent=%d ok=%d late=%d unexpected=%d achieved_rps=%.0f\n",
    rate, summary.requests, t:get("ok"), t:get("late"), t:get("unexpected"),
    t:get("ok") / (summary.duration / 1e6)))
end
