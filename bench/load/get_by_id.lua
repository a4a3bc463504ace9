package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
request = function() return wrk.format("GET", "/scim/v2/Users/" .. c.id(c.random_user()), c.headers) end
