// libFuzzer target: arbitrary bytes as an id and as a member value, through
// ResourceService (Users and Groups) and RunBulk over the in-memory fakes,
// and as a cursor. An id scimsync never issued must be a 404 on GET, PUT,
// PATCH and DELETE; as a member, 400 invalidValue to add and nothing to
// remove; in a Bulk path, 404; the stores must never be given one; the
// detail of a 404 must be UTF-8 (it goes into a JSON body as it is). A
// cursor decodes only when it is what EncodeCursor writes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>

#include "common/scim/bulk.h"
#include "common/scim/list.h"
#include "tests/fakes/fakes.h"

namespace {

using scim::Json;

bool LooksIssued(const std::string& id) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_match(id, kUuid);
}

void Require(bool ok) {
  if (!ok) std::abort();
}

template <typename R>
void RequireError(const R& r, int status, scim::ScimType type) {
  Require(!r.ok() && r.error().status == status && r.error().type == type &&
          scim::IsValidUtf8(r.error().detail));
}

Json Body(const char* schema, const char* key, const std::string& value) {
  Json b = Json::MakeObject();
  b.Set("schemas", Json(Json::Array{Json(schema)}));
  b.Set(key, value);
  return b;
}

Json GroupWith(const std::string& member) {
  Json b = Body("urn:ietf:params:scim:schemas:core:2.0:Group", "displayName", "G");
  Json m = Json::MakeObject();
  m.Set("value", member);
  b.Set("members", Json(Json::Array{std::move(m)}));
  return b;
}

Json MemberPatch(const char* op, const std::string& id) {
  Json o = Json::MakeObject();
  o.Set("op", op);
  o.Set("path", "members");
  o.Set("value", *GroupWith(id).Find("members"));
  Json b = Json::MakeObject();
  b.Set("schemas", Json(Json::Array{Json("urn:ietf:params:scim:api:messages:2.0:PatchOp")}));
  b.Set("Operations", Json(Json::Array{std::move(o)}));
  return b;
}

void CheckRoutes(scim::testing::FakeServices& s, const std::string& id) {
  Json user = Body("urn:ietf:params:scim:schemas:core:2.0:User", "userName", "bob");
  for (scim::ResourceService* svc : {&s.users, &s.groups}) {
    RequireError(svc->Get(id), 404, scim::ScimType::kNone);
    RequireError(svc->Replace(id, user, "", scim::testing::kWho), 404, scim::ScimType::kNone);
    RequireError(svc->Patch(id, MemberPatch("add", id), "", scim::testing::kWho), 404,
                 scim::ScimType::kNone);
    RequireError(svc->Delete(id, "", scim::testing::kWho), 404, scim::ScimType::kNone);
  }
}

void CheckMembers(scim::testing::FakeServices& s, const std::string& group, const std::string& id) {
  RequireError(s.groups.Create(GroupWith(id), scim::testing::kWho), 400,
               scim::ScimType::kInvalidValue);
  RequireError(s.groups.Patch(group, MemberPatch("add", id), "", scim::testing::kWho), 400,
               scim::ScimType::kInvalidValue);
  Require(s.groups.Patch(group, MemberPatch("remove", id), "", scim::testing::kWho).ok());
  Require(s.group_store.members[group].size() == 1);
}

void CheckBulk(scim::testing::FakeServices& s, const std::string& id) {
  std::string path = "/Users/" + id;
  Json op = Json::MakeObject();
  op.Set("method", "DELETE");
  op.Set("path", path);
  Json request = Json::MakeObject();
  request.Set("schemas",
              Json(Json::Array{Json("urn:ietf:params:scim:api:messages:2.0:BulkRequest")}));
  request.Set("Operations", Json(Json::Array{std::move(op)}));
  auto r = scim::RunBulk(request, s.users, s.groups, "https://h/scim/v2", scim::testing::kWho);
  Require(r.ok());
  // A last segment "bulkId:x" refers to an operation that never ran: 409.
  bool reference = path.compare(path.rfind('/') + 1, 7, "bulkId:") == 0;
  const char* want = reference ? "409" : "404";
  Require(r.value().Find("Operations")->as_array()[0].Find("status")->as_string() == want);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string id(reinterpret_cast<const char*>(data), size);
  Require(scim::CouldBeIssuedId(id) == LooksIssued(id));
  if (auto seq = scim::DecodeCursor(id)) Require(*seq >= 1 && scim::EncodeCursor(*seq) == id);
  auto back = scim::ParseJson(scim::ToJson(Json(id)));
  Require(back.ok() && (back.value().as_string() == id) == scim::IsValidUtf8(id));

  scim::testing::FakeServices s;
  auto user = s.users.Create(Body("urn:ietf:params:scim:schemas:core:2.0:User", "userName", "a"),
                             scim::testing::kWho);
  Require(user.ok());
  auto group = s.groups.Create(GroupWith(user.value().id), scim::testing::kWho);
  Require(group.ok());
  // A member value arrives in a JSON body: the bytes as JSON delivers them.
  const std::string& member = back.value().as_string();
  for (const auto& existing : {user.value().id, group.value().id}) {
    if (id == existing || member == existing) return 0;
  }
  CheckRoutes(s, id);
  CheckMembers(s, group.value().id, member);
  CheckBulk(s, member);
  for (const auto* store : {&s.user_store, &s.group_store}) {
    for (const auto& asked : store->asked) Require(LooksIssued(asked));
  }
  return 0;
}
