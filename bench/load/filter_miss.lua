package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
request = function()
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22nobody-" .. math.random(1, 1e9) .. "%22", c.headers)
end
