-- bench/adoption_bench.sh: `userName eq` lookups of application users
-- SCIM has never seen (app-<n>), each name asked once: every request adopts
-- its row. Names from ADOPT_FIRST on, interleaved over the threads
-- (ADOPT_STRIDE = wrk's thread count).
package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
local first, stride = tonumber(os.getenv("ADOPT_FIRST")), tonumber(os.getenv("ADOPT_STRIDE"))
local n = 0
request = function()
  local name = first + n * stride + thread_no - 1
  n = n + 1
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22app-" .. name .. "%22", c.headers)
end
