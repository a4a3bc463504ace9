-- Shared by the wrk scenarios of bench/load_bench.sh. The data set made by
-- the driver: users load-1 … load-N with ids b0000000-0000-4000-8000-<n
-- zero-padded to 12>, and a big group whose id is in BIG_GROUP.
local M = {}
M.users = tonumber(os.getenv("LOAD_USERS") or "100000")
M.token = os.getenv("LOAD_TOKEN")
M.big_group = os.getenv("BIG_GROUP")
M.headers = {["Authorization"] = "Bearer " .. M.token, ["Content-Type"] = "application/scim+json"}

function M.id(n) return string.format("b0000000-0000-4000-8000-%012d", n) end
function M.random_user() return math.random(1, M.users) end

function M.user_body(n, extra)
  return string.format(
    '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],' ..
    '"userName":"load-%d","name":{"givenName":"Given%d","familyName":"Family%d"},"displayName":"User %d",' ..
    '"emails":[{"value":"load-%d@example.com","type":"work","primary":true}],"active":true,"title":"Engineer",' ..
    '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"%d","department":"Dept %d"}%s}',
    n, n, n, n, n, n, n % 50, extra or "")
end

M.patch_schema = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":'

-- Every thread gets a distinct number (for unique names and per-thread state).
local counter = 0
function M.setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

return M
