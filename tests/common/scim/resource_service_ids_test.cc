// ResourceService and RunBulk given ids scimsync never issued (issue 13
// §2; MariaDB answered non-ASCII ones with a 500): every route that takes
// an id answers 404, a member by such an id is the error of an unknown
// member (400 invalidValue) or nothing to remove, and the stores are never
// given one. Table cases first, then a property test over random bytes.
#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "common/scim/bulk.h"
#include "common/scim/resource_service.h"
#include "tests/fakes/fakes.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

constexpr char kUserSchema[] = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr char kGroupSchema[] = "urn:ietf:params:scim:schemas:core:2.0:Group";
constexpr char kPatchOp[] = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
constexpr char kBulkRequest[] = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
// Well-formed, but no resource has it: today's answers are the reference.
constexpr char kUnknown[] = "00000000-0000-4000-8000-999999999999";

// The oracle, written apart from CouldBeIssuedId.
bool LooksIssued(const std::string& id) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_match(id, kUuid);
}

Json Schemas(const char* urn) { return Json(Json::Array{Json(urn)}); }

Json UserBody(const std::string& user_name) {
  Json b = Json::MakeObject();
  b.Set("schemas", Schemas(kUserSchema));
  b.Set("userName", user_name);
  return b;
}

// A group body; with member when given.
Json GroupBody(const std::optional<std::string>& member) {
  Json b = Json::MakeObject();
  b.Set("schemas", Schemas(kGroupSchema));
  b.Set("displayName", "G");
  if (member) {
    Json m = Json::MakeObject();
    m.Set("value", *member);
    b.Set("members", Json(Json::Array{std::move(m)}));
  }
  return b;
}

// One PATCH operation on "members" (path_filter: members[value eq "<id>"]).
Json MemberPatch(const std::string& op, const std::string& id, bool path_filter = false) {
  Json o = Json::MakeObject();
  o.Set("op", op);
  if (path_filter) {
    o.Set("path", "members[value eq " + ToJson(Json(id)) + "]");
  } else {
    o.Set("path", "members");
    o.Set("value", *GroupBody(id).Find("members"));
  }
  Json b = Json::MakeObject();
  b.Set("schemas", Schemas(kPatchOp));
  b.Set("Operations", Json(Json::Array{std::move(o)}));
  return b;
}

Json TitlePatch() {
  return ParseJson(std::string(R"({"schemas":[")") + kPatchOp +
                   R"("],"Operations":[{"op":"replace","path":"title","value":"x"}]})")
      .value();
}

class ResourceServiceIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = s_.users.Create(UserBody("ann"), testing::kWho).value().id;
    group_ = s_.groups.Create(GroupBody(user_), testing::kWho).value().id;
  }

  // GET, PUT, PATCH and DELETE of /Users/{id} and /Groups/{id}: 404 with a
  // detail that can go into JSON as it is.
  void ExpectNotFoundOnEveryRoute(const std::string& id) {
    for (ResourceService* svc : {&s_.users, &s_.groups}) {
      bool users = svc == &s_.users;
      Json body = users ? UserBody("bob") : GroupBody(std::nullopt);
      std::vector<std::pair<const char*, std::optional<ScimError>>> answers = {
          {"GET", Error(svc->Get(id))},
          {"PUT", Error(svc->Replace(id, body, "", testing::kWho))},
          {"PATCH", Error(svc->Patch(id, users ? TitlePatch() : MemberPatch("add", user_), "",
                                     testing::kWho))},
          {"DELETE", Error(svc->Delete(id, "", testing::kWho))}};
      for (const auto& [method, error] : answers) {
        SCOPED_TRACE(std::string(method) + " " + std::string(svc->type().endpoint));
        ASSERT_TRUE(error.has_value());
        EXPECT_EQ(error->status, 404) << error->detail;
        EXPECT_EQ(error->type, ScimType::kNone);
        EXPECT_TRUE(IsValidUtf8(error->detail));
      }
    }
  }

  // A member by id: adding it (POST, PUT, PATCH add and replace) is the
  // error of an unknown member; removing it (by value, by filter) removes
  // nothing.
  void ExpectUnknownMember(const std::string& id) {
    std::optional<ScimError> adds[] = {
        Error(s_.groups.Create(GroupBody(id), testing::kWho)),
        Error(s_.groups.Replace(group_, GroupBody(id), "", testing::kWho)),
        Error(s_.groups.Patch(group_, MemberPatch("add", id), "", testing::kWho)),
        Error(s_.groups.Patch(group_, MemberPatch("replace", id), "", testing::kWho)),
    };
    for (const auto& e : adds) {
      ASSERT_TRUE(e.has_value());
      EXPECT_EQ(e->status, 400) << e->detail;
      EXPECT_EQ(e->type, ScimType::kInvalidValue) << e->detail;
    }
    EXPECT_SCIM_OK(s_.groups.Patch(group_, MemberPatch("remove", id), "", testing::kWho));
    EXPECT_SCIM_OK(s_.groups.Patch(group_, MemberPatch("remove", id, true), "", testing::kWho));
    EXPECT_EQ(s_.group_store.members[group_], std::vector<std::string>{user_});
  }

  // Bulk DELETE, PUT and PATCH of /Users/<id> and /Groups/<id>: 404 each.
  void ExpectBulkNotFound(const std::string& id) {
    Json ops = Json::MakeArray();
    for (const char* path : {"/Users/", "/Groups/"}) {
      for (const char* method : {"DELETE", "PUT", "PATCH"}) {
        Json op = Json::MakeObject();
        op.Set("method", method);
        op.Set("path", path + id);
        op.Set("data", std::string(method) == "PATCH" ? TitlePatch() : UserBody("bob"));
        ops.as_array().push_back(std::move(op));
      }
    }
    Json request = Json::MakeObject();
    request.Set("schemas", Schemas(kBulkRequest));
    request.Set("Operations", std::move(ops));
    auto r = RunBulk(request, s_.users, s_.groups, "https://h/scim/v2", testing::kWho);
    ASSERT_SCIM_OK(r);
    for (const auto& op : r.value().Find("Operations")->as_array()) {
      EXPECT_EQ(op.Find("status")->as_string(), "404") << ToJson(op);
      EXPECT_EQ(op.Find("response")->Find("status")->as_string(), "404");
    }
  }

  void ExpectStoresGivenOnlyIssuedIds() {
    for (const testing::FakeStore* store : {&s_.user_store, &s_.group_store}) {
      for (const auto& id : store->asked) {
        EXPECT_TRUE(LooksIssued(id)) << "the store was given " << ::testing::PrintToString(id);
      }
    }
  }

  template <typename R>
  static std::optional<ScimError> Error(const R& r) {
    return r.ok() ? std::nullopt : std::optional<ScimError>(r.error());
  }

  testing::FakeServices s_;
  std::string user_, group_;
};

const std::string kNeverIssued[] = {
    "",
    "abc",
    "\xE2\x82\xAC\xF0\x9F\x99\x82",  // the id of the report: €🙂
    "\xFF\xFE",
    std::string("00000000-0000-4000-8000-00000000000\0", 36),
    "00000000-0000-4000-8000-00000000000G",
    "00000000-0000-4000-8000-000000000001 ",
    "00000000-0000-4000-8000-0000000000\xC3\xA9",
    std::string(300, 'a'),
    "bulkId",
    "a b",
};

TEST_F(ResourceServiceIdsTest, EveryRouteAnswers404ForIdsNeverIssued) {
  ExpectNotFoundOnEveryRoute(kUnknown);
  for (const auto& id : kNeverIssued) {
    SCOPED_TRACE(::testing::PrintToString(id));
    ExpectNotFoundOnEveryRoute(id);
    ExpectBulkNotFound(id);
  }
  ExpectStoresGivenOnlyIssuedIds();
}

TEST_F(ResourceServiceIdsTest, MemberIdsNeverIssuedAreUnknownMembers) {
  ExpectUnknownMember(kUnknown);
  for (const auto& id : kNeverIssued) {
    SCOPED_TRACE(::testing::PrintToString(id));
    ExpectUnknownMember(id);
  }
  ExpectStoresGivenOnlyIssuedIds();
}

// A refused write to an id never issued is audited, without the id (the
// audit column holds ids only).
TEST_F(ResourceServiceIdsTest, RefusalOfAnIdNeverIssuedIsAuditedWithoutIt) {
  size_t before = s_.user_store.audit.size();
  EXPECT_SCIM_ERROR(s_.users.Patch("\xE2\x82\xAC", TitlePatch(), "", testing::kWho), 404,
                    ScimType::kNone);
  ASSERT_EQ(s_.user_store.audit.size(), before + 1);
  EXPECT_EQ(s_.user_store.audit.back().outcome, "404");
  ExpectStoresGivenOnlyIssuedIds();
}

// Random bytes, mutated ids and random UTF-8 text, from a fixed seed.
std::string RandomId(std::mt19937& rng, const std::string& issued) {
  std::string s;
  switch (rng() % 4) {
    case 0:
      s.resize(rng() % 40);
      for (auto& c : s) c = static_cast<char>(rng() % 256);
      return s;
    case 1:
      s = issued;
      s[rng() % s.size()] = static_cast<char>(rng() % 256);
      return s;
    case 2:
      s = issued;
      if (rng() % 2) return s.erase(rng() % s.size(), 1);
      return s.insert(rng() % (s.size() + 1), 1, static_cast<char>(rng() % 256));
    default: {
      static const char* kPieces[] = {
          "a",  "0", "-", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x99\x82", "\"",
          "\\", "/", " ", "%",        "\x01"};
      for (size_t n = 1 + rng() % 12; n > 0; --n) s += kPieces[rng() % std::size(kPieces)];
      return s;
    }
  }
}

TEST_F(ResourceServiceIdsTest, PropertyNoIdNeverIssuedReachesTheStore) {
  std::mt19937 rng(13);
  for (int i = 0; i < 2000; ++i) {
    std::string id = RandomId(rng, rng() % 2 ? user_ : group_);
    if (id == user_ || id == group_) continue;
    SCOPED_TRACE(::testing::PrintToString(id));
    ASSERT_EQ(CouldBeIssuedId(id), LooksIssued(id));
    ExpectNotFoundOnEveryRoute(id);
    ExpectUnknownMember(id);
    ExpectBulkNotFound(id);
    ListQuery q;
    q.cursor = id;
    auto listed = s_.users.List(q, "https://h/scim/v2");
    if (!listed.ok()) {
      EXPECT_SCIM_ERROR(listed, 400, ScimType::kInvalidCursor);
    }
    if (HasFatalFailure() || HasNonfatalFailure()) break;  // one reproducer is enough
  }
  ExpectStoresGivenOnlyIssuedIds();
}

}  // namespace
}  // namespace scim
