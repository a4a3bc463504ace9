// Ids scimsync never issued, through nginx and against MariaDB (issue 13
// §2: a non-ASCII id was a 500, MariaDB 1267 on the ascii_bin id column).
// Every route that takes an id answers 404 with a SCIM error body, member
// values are unknown members, cursors are invalidCursor, and filters with
// such text find nothing. The stores themselves are also given such ids
// directly: their SQL must not fail on them either.
#include <gtest/gtest.h>

#include <random>

#include "common/db/mysql_group_store.h"
#include "common/db/mysql_user_store.h"
#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

constexpr char kErrorSchema[] = "urn:ietf:params:scim:api:messages:2.0:Error";
constexpr char kPatchOp[] = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
constexpr char kUnknown[] = "00000000-0000-4000-8000-999999999999";  // well-formed, no resource
const char* const kEuroSmile = "\xE2\x82\xAC\xF0\x9F\x99\x82";       // the id of the report

// Percent-encodes every byte but the unreserved ones (RFC 3986 §2.3).
std::string Pct(const std::string& bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
  return out;
}

// status, a SCIM error body (RFC 7644 §3.12) and, when given, its scimType.
void ExpectScimError(const Response& r, int status, const std::string& scim_type = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
            "application/scim+json");
  auto body = ParseJson(r.body);
  ASSERT_TRUE(body.ok()) << "not JSON: " << r.body;
  const Json* schemas = body.value().Find("schemas");
  ASSERT_TRUE(schemas && schemas->is_array() && !schemas->as_array().empty()) << r.body;
  EXPECT_EQ(schemas->as_array()[0].as_string(), kErrorSchema);
  const Json* s = body.value().Find("status");
  ASSERT_TRUE(s && s->is_string()) << r.body;
  EXPECT_EQ(s->as_string(), std::to_string(status));
  if (!scim_type.empty()) {
    const Json* t = body.value().Find("scimType");
    EXPECT_EQ(t && t->is_string() ? t->as_string() : "", scim_type) << r.body;
  }
}

Response Call(const std::string& method, const std::string& path, const std::string& body = "") {
  return Http(method, "/scim/v2" + path, body, Auth(SharedToken()));
}

std::string GroupBody(const std::vector<std::string>& members) {
  Json b = ParseJson(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]})").value();
  b.Set("displayName", Unique("ids-group"));
  Json m = Json::MakeArray();
  for (const auto& id : members) {
    Json o = Json::MakeObject();
    o.Set("value", id);
    m.as_array().push_back(std::move(o));
  }
  b.Set("members", std::move(m));
  return ToJson(b);
}

// A PatchOp with one operation on members: by value, or (path_filter) by
// the path members[value eq "<id>"].
std::string MemberPatch(const std::string& op, const std::string& id, bool path_filter = false) {
  Json o = Json::MakeObject();
  o.Set("op", op);
  if (path_filter) {
    o.Set("path", "members[value eq " + ToJson(Json(id)) + "]");
  } else {
    o.Set("path", "members");
    o.Set("value", *ParseJson(GroupBody({id})).value().Find("members"));
  }
  Json b = Json::MakeObject();
  b.Set("schemas", Json(Json::Array{Json(kPatchOp)}));
  b.Set("Operations", Json(Json::Array{std::move(o)}));
  return ToJson(b);
}

const std::string kTitlePatch = std::string(R"({"schemas":[")") + kPatchOp +
                                R"("],"Operations":[{"op":"replace","path":"title","value":"x"}]})";

std::string CreateUser() {
  Response r = Call("POST", "/Users", UserBody(Unique("ids-user")));
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json().Find("id")->as_string() : "";
}

std::string CreateGroup(const std::vector<std::string>& members) {
  Response r = Call("POST", "/Groups", GroupBody(members));
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json().Find("id")->as_string() : "";
}

long long MemberRows(const std::string& group) {
  long long n = -1;
  std::string g = group;
  Db() << "SELECT COUNT(*) FROM scim_group_members WHERE group_id = :g", soci::into(n),
      soci::use(g);
  return n;
}

// GET, PUT, PATCH and DELETE of /Users/<id> and /Groups/<id>.
void ExpectNotFoundOnEveryRoute(const std::string& id) {
  for (const char* type : {"/Users/", "/Groups/"}) {
    std::string put = type[1] == 'U' ? UserBody(Unique("ids-put")) : GroupBody({});
    std::string patch = type[1] == 'U' ? kTitlePatch : MemberPatch("add", kUnknown);
    for (const auto& [method, body] : std::vector<std::pair<std::string, std::string>>{
             {"GET", ""}, {"PUT", put}, {"PATCH", patch}, {"DELETE", ""}}) {
      SCOPED_TRACE(method + " " + type + Pct(id));
      ExpectScimError(Call(method, type + Pct(id), body), 404);
    }
  }
}

std::vector<std::string> NeverIssued(const std::string& real_id) {
  std::string upper = real_id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {kEuroSmile,    "\xFF\xFE",
          "abc",         upper,
          real_id + " ", real_id.substr(1),
          "caf\xC3\xA9", std::string(300, 'a'),
          "%",           "a b",
          kUnknown};
}

TEST(IdsTest, EveryIdRouteAnswers404WithAScimBody) {
  std::string user = CreateUser();
  for (const auto& id : NeverIssued(user)) ExpectNotFoundOnEveryRoute(id);
  EXPECT_EQ(Call("GET", "/Users/" + user).status, 200);  // the id as issued still works
}

// The web server refuses a %00 before any worker sees it (nginx: 400,
// Apache: 404); either way its answer is a SCIM body.
void ExpectNulRefused(const Response& r) {
  EXPECT_TRUE(r.status == 400 || r.status == 404) << r.status << " " << r.body;
  ExpectScimError(r, r.status);
}

TEST(IdsTest, NulInThePathIsAScimErrorFromTheWebServer) {
  ExpectNulRefused(Call("GET", "/Users/%00"));
  ExpectNulRefused(Call("DELETE", "/Groups/a%00b"));
}

TEST(IdsTest, SchemaAndResourceTypeIdsOfAnyBytesAre404) {
  for (const std::string& id :
       {std::string(kEuroSmile), std::string("\xFF\xFE"), std::string("x")}) {
    ExpectScimError(Call("GET", "/Schemas/" + Pct(id)), 404);
    ExpectScimError(Call("GET", "/ResourceTypes/" + Pct(id)), 404);
  }
}

TEST(IdsTest, BulkPathsWithIdsNeverIssuedAre404) {
  Json ops = Json::MakeArray();
  for (const std::string& id :
       {std::string(kEuroSmile), std::string("abc"), std::string(kUnknown)}) {
    for (const char* path : {"/Users/", "/Groups/"}) {
      for (const char* method : {"PUT", "PATCH", "DELETE"}) {
        Json op = Json::MakeObject();
        op.Set("method", method);
        op.Set("path", path + id);
        op.Set("data", ParseJson(std::string(method) == "PATCH" ? kTitlePatch
                                                                : UserBody(Unique("ids-bulk")))
                           .value());
        ops.as_array().push_back(std::move(op));
      }
    }
  }
  Json request =
      ParseJson(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]})").value();
  request.Set("Operations", ops);
  Response r = Call("POST", "/Bulk", ToJson(request));
  ASSERT_EQ(r.status, 200) << r.body;
  Json answer = r.json();
  const auto& out = answer.Find("Operations")->as_array();
  ASSERT_EQ(out.size(), ops.as_array().size());
  for (const auto& op : out) {
    EXPECT_EQ(op.Find("status")->as_string(), "404") << ToJson(op);
    ASSERT_NE(op.Find("response"), nullptr) << ToJson(op);
    EXPECT_EQ(op.Find("response")->Find("schemas")->as_array()[0].as_string(), kErrorSchema);
    EXPECT_EQ(op.Find("response")->Find("status")->as_string(), "404");
  }
}

// Adding a member by an id never issued is what adding an unknown
// well-formed id is (400 invalidValue), and changes nothing; removing one
// removes nothing.
TEST(IdsTest, MemberValuesNeverIssuedAreUnknownMembers) {
  std::string user = CreateUser();
  std::string group = CreateGroup({user});
  for (const auto& id : NeverIssued(user)) {
    SCOPED_TRACE(Pct(id));
    ExpectScimError(Call("POST", "/Groups", GroupBody({id})), 400, "invalidValue");
    ExpectScimError(Call("PUT", "/Groups/" + group, GroupBody({id})), 400, "invalidValue");
    ExpectScimError(Call("PATCH", "/Groups/" + group, MemberPatch("add", id)), 400, "invalidValue");
    ExpectScimError(Call("PATCH", "/Groups/" + group, MemberPatch("replace", id)), 400,
                    "invalidValue");
    for (bool path_filter : {false, true}) {
      Response removed = Call("PATCH", "/Groups/" + group, MemberPatch("remove", id, path_filter));
      EXPECT_TRUE(removed.status == 200 || removed.status == 204) << removed.body;
    }
    EXPECT_EQ(MemberRows(group), 1);
  }
  Json bulk = ParseJson(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      "Operations":[{"method":"POST","path":"/Groups","bulkId":"g"}]})")
                  .value();
  bulk.Find("Operations")->as_array()[0].Set("data", ParseJson(GroupBody({kEuroSmile})).value());
  Response r = Call("POST", "/Bulk", ToJson(bulk));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().Find("Operations")->as_array()[0].Find("status")->as_string(), "400");
}

TEST(IdsTest, CursorsNeverIssuedAre400InvalidCursor) {
  for (const char* cursor :
       {"%E2%82%AC", "%FF", "cffffffffffffffff", "c8000000000000000", "c0", "C1", "c01", "c1%00"}) {
    SCOPED_TRACE(cursor);
    ExpectScimError(Call("GET", std::string("/Users?cursor=") + cursor), 400, "invalidCursor");
    ExpectScimError(Call("GET", std::string("/Groups?cursor=") + cursor), 400, "invalidCursor");
  }
  Response first = Call("GET", "/Users?cursor=&count=1");
  EXPECT_EQ(first.status, 200) << first.body;
}

// Filters with text that is not ASCII find nothing on every column, the
// id column (ascii_bin) included, through GET, .search and /.search.
TEST(IdsTest, FiltersWithTextThatIsNotAsciiFindNothing) {
  std::string user = CreateUser();
  std::string upper = user;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string e = kEuroSmile;
  std::vector<std::pair<std::string, std::string>> cases = {
      {"/Users", "id eq \"" + e + "\""},
      {"/Users", "id sw \"" + e + "\""},
      {"/Users", "id co \"caf\xC3\xA9\""},
      {"/Users", "id ew \"" + e + "\""},
      {"/Users", "id eq \"" + upper + "\""},
      {"/Users", "externalId eq \"" + e + "\""},
      {"/Users", "userName eq \"" + e + "\""},
      {"/Users", "groups.value eq \"" + e + "\""},
      {"/Users", "id eq \"" + e + "\" and userName sw \"a\""},
      {"/Groups", "id eq \"" + e + "\""},
      {"/Groups", "members.value eq \"" + e + "\""},
      {"/Groups", "externalId eq \"" + e + "\""},
      {"/Groups", "displayName eq \"" + e + "\""},
  };
  for (const auto& [type, filter] : cases) {
    SCOPED_TRACE(type + " " + filter);
    Response got = Call("GET", type + "?filter=" + Pct(filter));
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.json().Find("totalResults")->as_int(), 0);
    Json search = Json::MakeObject();
    search.Set("schemas",
               Json(Json::Array{Json("urn:ietf:params:scim:api:messages:2.0:SearchRequest")}));
    search.Set("filter", filter);
    for (const std::string& path : {type + "/.search", std::string("/.search")}) {
      bool common = filter.rfind("id ", 0) == 0 || filter.rfind("externalId ", 0) == 0;
      if (path == "/.search" && !common) continue;  // /.search: attributes of both types only
      Response s = Call("POST", path, ToJson(search));
      ASSERT_EQ(s.status, 200) << path << " " << s.body;
      EXPECT_EQ(s.json().Find("totalResults")->as_int(), 0);
    }
  }
  // Bytes that are not UTF-8 are no filter at all.
  ExpectScimError(Call("GET", "/Users?filter=" + Pct("id eq \"\xFF\"")), 400, "invalidFilter");
}

// Property, through nginx: random bytes as an id are a 404 with a SCIM
// body (a NUL one nginx's 400 with a SCIM body), from a fixed seed.
TEST(IdsTest, PropertyRandomBytesAsIdsAre404) {
  std::mt19937 rng(2026);
  for (int i = 0; i < 120; ++i) {
    std::string id(1 + rng() % 24, '\0');
    for (auto& c : id) c = static_cast<char>(rng() % 256);
    if (id.find('/') != std::string::npos) continue;  // another path, not an id
    SCOPED_TRACE(Pct(id));
    Response r = Call(i % 2 ? "GET" : "DELETE", (i % 3 ? "/Users/" : "/Groups/") + Pct(id));
    if (id.find('\0') != std::string::npos) {
      ExpectNulRefused(r);
    } else {
      ExpectScimError(r, 404);
    }
    if (HasFailure()) break;
  }
}

// The SQL on its own: the stores given such ids directly (as if a caller
// skipped the service's check) answer as for any unknown id, never 500.
TEST(IdsTest, StoresAnswerIdsThatAreNotAsciiWithoutSqlErrors) {
  db::Connection conn(TestEnv().config.db);
  db::MysqlUserStore users(conn);
  db::MysqlGroupStore groups(conn);
  std::string group = CreateGroup({});
  WriteAudit audit{"ids-test", "", "", "patch", "{}", "ok", ""};
  for (const std::string& id :
       {std::string(kEuroSmile), std::string("\xFF\xFE"), std::string("caf\xC3\xA9")}) {
    SCOPED_TRACE(Pct(id));
    for (ResourceStore* store : std::vector<ResourceStore*>{&users, &groups}) {
      auto got = store->Get(id);
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.error().status, 404) << got.error().detail;
      ResourceRecord r;
      r.id = id;
      r.version = 2;
      r.attributes = ParseJson(R"({"userName":"x","displayName":"x"})").value();
      auto updated = store->Update(r, 1, nullptr, audit);
      ASSERT_FALSE(updated.ok());
      EXPECT_EQ(updated.error().status, 404) << updated.error().detail;
      auto deleted = store->Delete(id, 1, 0, audit);
      ASSERT_FALSE(deleted.ok());
      EXPECT_EQ(deleted.error().status, 404) << deleted.error().detail;
      auto related = store->Related(id);
      ASSERT_TRUE(related.ok()) << related.error().detail;
      EXPECT_TRUE(related.value().empty());
      for (CompareOp op : {CompareOp::kEq, CompareOp::kCo, CompareOp::kSw}) {
        StoreQuery q;
        q.conditions.push_back({Column::kId, op, Json(id)});
        auto page = store->Query(q);
        ASSERT_TRUE(page.ok()) << page.error().detail;
        EXPECT_TRUE(page.value().records.empty());
      }
    }
    auto current = groups.Get(group);
    ASSERT_TRUE(current.ok()) << current.error().detail;
    ResourceRecord next = current.value();
    MemberDelta add;
    add.add.push_back(id);
    auto added = groups.Update(next, kAnyVersion, &add, audit);
    ASSERT_FALSE(added.ok());
    EXPECT_EQ(added.error().status, 400) << added.error().detail;
    MemberDelta remove;
    remove.remove.push_back(id);
    auto removed = groups.Update(next, kAnyVersion, &remove, audit);
    EXPECT_TRUE(removed.ok()) << removed.error().detail;
  }
  // The daemon applies those removals (of ids that are no member) at once,
  // never failing on them: no row of the group is left retrying.
  EXPECT_TRUE(WaitUntil([&] {
    return SqlNum("SELECT COUNT(*) FROM change_queue WHERE resource_id = :g AND status <> 'done'",
                  group) == 0;
  })) << "a removal of an id that is no member left the group's change retrying";
}

}  // namespace
}  // namespace scim::it
