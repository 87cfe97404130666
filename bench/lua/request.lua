-- One wrk script for every bench scenario. The request comes from the environment, so the
-- same file serves GETs, authenticated GETs and POSTs:
--   BENCH_METHOD  HTTP method (default GET)
--   BENCH_AUTH    value of the Authorization header (optional)
--   BENCH_BODY    request body (optional; sent as application/json)
-- done() prints one machine-readable line that bench/run.sh parses.

local method = os.getenv("BENCH_METHOD") or "GET"
local auth = os.getenv("BENCH_AUTH")
local body = os.getenv("BENCH_BODY")

wrk.method = method
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

-- Count statuses ourselves: wrk's own error counter only sees status > 399, and a 3xx or
-- an unexpected 200 instead of 201 would otherwise go unnoticed.
local expected = tonumber(os.getenv("BENCH_EXPECT") or "200")
local threads = {}

setup = function(thread)
  thread:set("unexpected", 0)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

done = function(summary, latency, requests)
  local unexpected_total = 0
  for _, t in ipairs(threads) do
    unexpected_total = unexpected_total + (t:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d unexpected_status=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    unexpected_total, e.connect, e.read, e.write, e.timeout))
end
