-- GET /public/api/v1/quest/{id}/task for wrk: QL_PATH is the path and
-- query, where {student} becomes a different generated student at each
-- request (as BenchmarkQuestList varies them); QL_TOKEN the public token.
local path = os.getenv("QL_PATH")
local students = tonumber(os.getenv("QL_STUDENTS"))
local n = 0
wrk.headers["X-Auth-Token"] = os.getenv("QL_TOKEN")

request = function()
  n = n + 1
  local student = string.format("user-%06d@bench.example.ru", 1 + (n * 7919) % students)
  return wrk.format("GET", (path:gsub("{student}", student)))
end
