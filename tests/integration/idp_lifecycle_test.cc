// Full provisioning lifecycles replayed as Okta and Microsoft Entra ID send
// them (tests/integration/lifecycles.h), through nginx to the workers and
// MariaDB, then into the bundled directory tables; and protocol details.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

long long DirectoryCount(const std::string& sql, const std::string& key) {
  long long n = -1;
  std::string k = key;
  Db() << sql, soci::into(n), soci::use(k);
  return n;
}

// The bundled directory_users / directory_groups (the default mapping).
class BundledDirectory : public AppDirectory {
 public:
  std::optional<AppUser> User(const std::string& id) override {
    AppUser u;
    int active = 0;
    std::string display;
    soci::indicator gi, fi, di, ei;
    std::string k = id;
    Db() << DirUserSql(
        "l.applied_version, d.user_name, d.given_name, d.family_name, "
        "d.display_name, d.email, d.active, d.role"),
        soci::into(u.applied_version), soci::into(u.user_name), soci::into(u.given_name, gi),
        soci::into(u.family_name, fi), soci::into(display, di), soci::into(u.email, ei),
        soci::into(active), soci::into(u.role), soci::use(k);
    if (!Db().got_data()) return std::nullopt;
    u.display_name = display;
    u.active = active == 1;
    EXPECT_TRUE(active == 0 || active == 1) << active;
    return u;
  }
  std::optional<AppGroup> Group(const std::string& id) override {
    AppGroup g;
    std::string k = id;
    Db() << "SELECT gl.applied_version, g.display_name FROM " + std::string(kLinkedGroups) +
                " WHERE gl.scim_id = :g",
        soci::into(g.applied_version), soci::into(g.name), soci::use(k);
    if (!Db().got_data()) return std::nullopt;
    soci::rowset<std::string> members = (Db().prepare << kDirMemberIds, soci::use(k));
    g.member_ids.assign(members.begin(), members.end());
    std::sort(g.member_ids.begin(), g.member_ids.end());
    return g;
  }
};

TEST(OktaLifecycleTest, ProbeCreateGetPutDeactivateReactivateAndGroupPush) {
  BundledDirectory dir;
  OktaLifecycle(dir);
}

TEST(EntraLifecycleTest, FilterCreatePatchEachAttributeRolesGroupsAndDelete) {
  BundledDirectory dir;
  EntraLifecycle(dir);
}

TEST(ProtocolTest, DeletingAUserTakesItOutOfItsGroups) {
  std::string uid = IdOf(Scim("POST", "/Users", UserBody(Unique("leaver"))));
  Response g = Scim("POST", "/Groups",
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":")" + Unique("team") +
                        R"(","members":[{"value":")" + uid + R"("}]})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = g.json().Find("id")->as_string();
  ASSERT_EQ(Scim("DELETE", "/Users/" + uid).status, 204);
  Response after = Scim("GET", "/Groups/" + gid);
  EXPECT_EQ(after.json().Find("members"), nullptr) << after.body;
  EXPECT_EQ(after.headers["etag"], "W/\"2\"");
  EXPECT_TRUE(WaitUntil([&] {
    return DirectoryCount(
               "SELECT COUNT(*) FROM directory_group_links gl JOIN directory_group_members m "
               "ON m.group_id = gl.app_key WHERE gl.scim_id = :g",
               gid) == 0 &&
           DirectoryCount(
               "SELECT COUNT(*) FROM directory_group_links WHERE scim_id = :g AND "
               "applied_version = 2",
               gid) == 1;
  }));
  Response missing =
      Scim("POST", "/Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":"x","members":[{"value":"00000000-0000-4000-8000-00000000dead"}]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().Find("scimType")->as_string(), "invalidValue");
}

TEST(ProtocolTest, EtagsDiscoveryAndSearch) {
  Response created = Scim("POST", "/Users", UserBody(Unique("etag")));
  ASSERT_EQ(created.status, 201);
  std::string id = created.json().Find("id")->as_string();
  auto h = Auth(SharedToken());
  h["If-None-Match"] = "W/\"1\"";
  EXPECT_EQ(Http("GET", "/scim/v2/Users/" + id, "", h).status, 304);
  h.erase("If-None-Match");
  h["If-Match"] = "W/\"9\"";
  Response stale = Http("PATCH", "/scim/v2/Users/" + id,
                        PatchOps(R"([{"op":"replace","path":"title","value":"x"}])"), h);
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.json().Find("status")->as_string(), "412");
  h["Prefer"] = "return=minimal";
  h["If-Match"] = "W/\"1\"";
  Response minimal = Http("PATCH", "/scim/v2/Users/" + id,
                          PatchOps(R"([{"op":"replace","path":"title","value":"x"}])"), h);
  EXPECT_EQ(minimal.status, 204);
  EXPECT_EQ(minimal.headers["etag"], "W/\"2\"");

  Response spc = Scim("GET", "/ServiceProviderConfig");
  ASSERT_EQ(spc.status, 200);
  EXPECT_TRUE(spc.json().Find("patch")->Find("supported")->as_bool());
  Response types = Scim("GET", "/ResourceTypes");
  EXPECT_EQ(TotalOf(types), 2);
  Response schema = Scim("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  ASSERT_EQ(schema.status, 200);
  EXPECT_EQ(schema.json().Find("attributes")->as_array()[0].Find("name")->as_string(), "userName");

  Response search = Scim("POST", "/Users/.search",
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                             "filter":"id eq \")" +
                             id + R"(\"","attributes":["userName"]})");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json().Find("totalResults")->as_int(), 1);
  Response root = Scim("POST", "/.search",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                           "filter":"id eq \")" +
                           id + R"(\""})");
  ASSERT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(root.json().Find("totalResults")->as_int(), 1);
  Scim("POST", "/Users", UserBody(Unique("cursor")));
  Response first = Scim("GET", "/Users?cursor=&count=1");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().Find("startIndex"), nullptr);
  ASSERT_NE(first.json().Find("nextCursor"), nullptr);
  Response second =
      Scim("GET", "/Users?count=1&cursor=" + first.json().Find("nextCursor")->as_string());
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_NE(second.json().Find("Resources")->as_array()[0].Find("id")->as_string(),
            first.json().Find("Resources")->as_array()[0].Find("id")->as_string());
  EXPECT_EQ(Scim("GET", "/Users?cursor=zzz").json().Find("scimType")->as_string(), "invalidCursor");

  Response bulk = Scim("POST", "/Bulk",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    "Operations":[{"method":"POST","path":"/Users","bulkId":"b1","data":)" +
                           UserBody(Unique("bulk")) + R"(},
                  {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                   "displayName":"Bulk group","members":[{"value":"bulkId:b1"}]}}]})");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.json().Find("Operations")->as_array()[1].Find("status")->as_string(), "201");

  Response bad = Scim("GET", "/Users?filter=" + EncodeQuery("userName eq"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().Find("scimType")->as_string(), "invalidFilter");
}

}  // namespace
}  // namespace scim::it
