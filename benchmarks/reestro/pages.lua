-- wrk script: the Reestro listing, cycling through the request paths in
-- PATHS_FILE (one per line: page 1 and the deep page of each filter set, as
-- benchmarks/reestro writes them with -paths-out), with the ReestroAuth
-- header from REESTRO_AUTH. Non-200 answers are counted and reported.
local paths = {}

function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do
    if line ~= "" then table.insert(paths, line) end
  end
  wrk.headers["Authorization"] = os.getenv("REESTRO_AUTH")
  i = math.random(#paths)
  bad = 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("pages/s %.0f, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, non-2xx %d, errors %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
