package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local flip = 0
request = function()
  local n = c.random_user()
  flip = 1 - flip
  return wrk.format("PUT", "/scim/v2/Users/" .. c.id(n), c.headers,
                    c.user_body(n, ',"nickName":"nick' .. flip .. '"'))
end
