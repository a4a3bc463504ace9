-- bench/adoption_bench.sh: `userName eq` lookups of application users an
-- earlier lookup adopted (app-1 … app-ADOPT_SEEN): reads only.
package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local seen = tonumber(os.getenv("ADOPT_SEEN"))
request = function()
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22app-" .. math.random(1, seen) .. "%22", c.headers)
end
