package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
request = function()
  return wrk.format("GET", "/scim/v2/Users?count=10&filter=userName%20co%20%22d-" .. c.random_user() .. "%22", c.headers)
end
