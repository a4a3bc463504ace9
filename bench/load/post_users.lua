package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
local n, run = 0, os.getenv("LOAD_RUN") or tostring(os.time())
request = function()
  n = n + 1
  local name = "new-" .. run .. "-" .. thread_no .. "-" .. n
  local body = c.user_body(0):gsub('"userName":"load%-0"', '"userName":"' .. name .. '"')
  return wrk.format("POST", "/scim/v2/Users", c.headers, body)
end
