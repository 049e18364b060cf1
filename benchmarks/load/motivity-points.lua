-- wrk script: one-item points changes to the same 10 users (u0..u9@example.ru,
-- written by motivity.sh's seed): credits of 3, debits of 2 and of 7 (often
-- refused), as BenchmarkPointsContention sends. Counts applied changes.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  applied = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Auth-Token"] = "load-public-token"
end

local amounts = {3, -2, 3, -7}

function request()
  local k = counter * 7 + tid
  counter = counter + 1
  local amount = amounts[math.floor(k / 10) % 4 + 1]
  return wrk.format(nil, "/public/api/v1/points/", nil,
    string.format('[{"userId":"u%d@example.ru","balanceType":"score","amount":%d}]', k % 10, amount))
end

function response(status, headers, body)
  if string.find(body, '"success":true', 1, true) then
    applied = applied + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("applied")
  end
  io.write(string.format("applied changes/s: %.0f\n", total / (summary.duration / 1e6)))
end
