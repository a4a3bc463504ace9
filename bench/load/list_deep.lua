package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
request = function()
  return wrk.format("GET", "/scim/v2/Users?startIndex=" .. math.random(80000, 99900) .. "&count=100", c.headers)
end
