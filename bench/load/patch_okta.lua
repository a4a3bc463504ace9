package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local active = true
request = function()
  active = not active
  return wrk.format("PATCH", "/scim/v2/Users/" .. c.id(c.random_user()), c.headers,
                    c.patch_schema .. '[{"op":"replace","value":{"active":' .. tostring(active) .. '}}]}')
end
