-- wrk script: one-row weekly reports, each for its own area and week so that
-- none is a duplicate. Areas 1000..1999 must be granted to the load
-- organization (run.sh writes that seed).
local threads = {}
local base = 1748822400 -- Monday 2025-06-02 00:00 UTC

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  -- Each run starts at its own week so that runs on one database do not
  -- collide.
  weekOffset = tonumber(os.getenv("WEEK_OFFSET") or "0")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Basic " .. os.getenv("LOAD_BASIC")
  wrk.headers["x-api-key"] = os.getenv("LOAD_KEY")
end

function request()
  local k = counter * nthreads + tid
  counter = counter + 1
  local area = 1000 + k % 1000
  local week = weekOffset + math.floor(k / 1000)
  local start = base - week * 7 * 86400
  local s = os.date("!%Y-%m-%d", start)
  local e = os.date("!%Y-%m-%d", start + 6 * 86400)
  local body = string.format('{"examinationAreaId":%d,"periodStartDate":"%s","periodEndDate":"%s",' ..
    '"noExamInSelectedPeriod":false,"examinationAreaDoesNotWork":false,"noPatentExamType":true,' ..
    '"noTemporaryResidenceExamType":true,"noResidencePermitExamType":true,"noCitizenshipRussianLangExamType":true,' ..
    '"noCitizenshipHistoryExamType":true,"requests":[{"identityDocumentNumber":"%064x","examDate":"%s",' ..
    '"migrationExamType":1,"migrationExamStatus":1}]}', area, s, e, k, s)
  return wrk.format(nil, "/Reports/Report", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected " .. status .. ": " .. body)
    wrk.thread:stop()
  end
end
