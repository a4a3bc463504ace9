#include "common/scim/user_service.h"

#include <array>
#include <utility>

#include "common/scim/filter.h"

namespace scim {
namespace {

constexpr std::array<std::pair<std::string_view, UserKey>, 4> kEqKeys{{
    {"userName", UserKey::kUserName},
    {"externalId", UserKey::kExternalId},
    {"id", UserKey::kId},
    {"displayName", UserKey::kDisplayName},
}};

// Strips the core schema URN prefix: "urn:...:core:2.0:User:userName".
std::string_view LocalName(std::string_view attr) {
  constexpr std::string_view kPrefix = "urn:ietf:params:scim:schemas:core:2.0:User:";
  if (attr.size() > kPrefix.size() && EqualsCi(attr.substr(0, kPrefix.size()), kPrefix)) {
    return attr.substr(kPrefix.size());
  }
  return attr;
}

Result<UserQuery> ToUserQuery(const ListQuery& query) {
  UserQuery q;
  q.start_index = query.start_index;
  q.count = query.count;
  if (query.filter.empty()) return q;
  auto parsed = ParseFilter(query.filter);
  if (!parsed.ok()) return parsed.error();
  const Comparison& c = parsed.value();
  std::string_view attr = LocalName(c.attr);
  for (const auto& [name, key] : kEqKeys) {
    if (!EqualsCi(name, attr)) continue;
    if (c.op != CompareOp::kEq || !c.value.is_string()) break;
    q.has_match = true;
    q.key = key;
    q.value = c.value.as_string();
    return q;
  }
  return InvalidFilter(
      "only 'eq' on userName, externalId, id or displayName with a string "
      "is supported yet");
}

}  // namespace

Result<UserRecord> UserService::Create(const Json& body) {
  auto attributes = NormalizeUser(body);
  if (!attributes.ok()) return attributes.error();
  UserRecord user;
  user.id = ids_.NewId();
  user.version = 1;
  user.created_ms = user.last_modified_ms = clock_.NowMillis();
  user.attributes = std::move(attributes).value();
  if (auto r = store_.Create(user); !r.ok()) return r.error();
  return user;
}

Result<UserRecord> UserService::Get(std::string_view id) { return store_.Get(id); }

Result<UserPage> UserService::List(const ListQuery& query) {
  auto q = ToUserQuery(query);
  if (!q.ok()) return q.error();
  return store_.List(q.value());
}

}  // namespace scim
