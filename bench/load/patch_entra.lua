package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
local k = 0
request = function()
  k = k + 1
  local v = tostring(k % 7)
  return wrk.format("PATCH", "/scim/v2/Users/" .. c.id(c.random_user()), c.headers, c.patch_schema ..
    '[{"op":"Replace","path":"displayName","value":"Name ' .. v .. '"},' ..
    '{"op":"Replace","path":"name.givenName","value":"Given ' .. v .. '"},' ..
    '{"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"x' .. v .. '@example.com"},' ..
    '{"op":"Replace","path":"title","value":"Title ' .. v .. '"},' ..
    '{"op":"Replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"D' .. v .. '"}},' ..
    '{"op":"Replace","path":"active","value":"True"}]}')
end
