-- Adds and removes one member of the 50,000-member group (users 90001-91000
-- are not in it), alternating per thread so the group stays at its size.
-- Each answers 204 No Content (a group PATCH without `attributes`).
package.path = os.getenv("LOAD_DIR") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
local add, member = false, 0
request = function()
  add = not add
  if add then member = 90000 + (thread_no * 100 + math.random(1, 99)) % 1000 + 1 end
  local body
  if add then
    body = c.patch_schema .. '[{"op":"add","path":"members","value":[{"value":"' .. c.id(member) .. '"}]}]}'
  else
    body = c.patch_schema .. '[{"op":"remove","path":"members[value eq \\"' .. c.id(member) .. '\\"]"}]}'
  end
  return wrk.format("PATCH", "/scim/v2/Groups/" .. c.big_group, c.headers, body)
end
