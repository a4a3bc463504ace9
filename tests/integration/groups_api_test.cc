// /Groups through nginx, and into the directory: groups as members of
// groups, and what deleting a group takes with it (its own memberships, its
// place in other groups, the users' `groups`, the directory's rows).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

Response Call(const std::string& method, const std::string& path, const std::string& body = "") {
  return Http(method, "/scim/v2" + path, body, Auth(SharedToken()));
}

std::string CreateGroup(const std::string& name, const std::vector<std::string>& members) {
  std::string list;
  for (const auto& m : members)
    list += std::string(list.empty() ? "" : ",") + R"({"value":")" + m + "\"}";
  return IdOf(Call("POST", "/Groups",
                   R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
                       name + R"(","members":[)" + list + "]}"));
}

// The directory's members of a group (SCIM ids of its users).
std::set<std::string> DirectoryMembers(const std::string& group_id) {
  std::set<std::string> out;
  std::string g = group_id;
  soci::rowset<std::string> rs = (Db().prepare << kDirMemberIds, soci::use(g));
  for (const auto& m : rs) out.insert(m);
  return out;
}

long long DirectoryGroupVersion(const std::string& group_id) {
  long long v = 0;
  std::string g = group_id;
  Db() << "SELECT COALESCE(MAX(applied_version), 0) FROM directory_group_links WHERE scim_id = :g",
      soci::into(v), soci::use(g);
  return v;
}

long long DirectoryRowsNaming(const std::string& group_id) {
  long long n = 0;
  std::string g = group_id;
  Db() << "SELECT (SELECT COUNT(*) FROM " + std::string(kLinkedGroups) +
              " WHERE gl.scim_id = :g) + (SELECT COUNT(*) FROM directory_group_links gl "
              "JOIN directory_group_members m ON m.group_id = gl.app_key WHERE gl.scim_id = :g2)",
      soci::into(n), soci::use(g), soci::use(g);
  return n;
}

// The ids in a resource's multi-valued attribute ("members" or "groups").
std::vector<std::string> Values(const Json& resource, const char* attribute) {
  std::vector<std::string> out;
  if (const Json* list = resource.Find(attribute)) {
    for (const auto& m : list->as_array()) out.push_back(m.Find("value")->as_string());
  }
  return out;
}

// RFC 7643 §4.2: members may be Users or Groups; a group member is typed
// "Group" and refers to /Groups. An application's membership table holds
// users: the directory gets the users only.
TEST(GroupsApiTest, AGroupCanBeAMemberOfAGroup) {
  std::string user = IdOf(Call("POST", "/Users", UserBody(Unique("nested-user"))));
  std::string child_name = Unique("Child group");
  std::string child = CreateGroup(child_name, {user});
  std::string parent = CreateGroup(Unique("Parent group"), {user, child});

  Response got = Call("GET", "/Groups/" + parent);
  ASSERT_EQ(got.status, 200) << got.body;
  Json group = got.json();
  const Json* members = group.Find("members");
  ASSERT_NE(members, nullptr) << got.body;
  ASSERT_EQ(members->as_array().size(), 2u) << got.body;
  for (const Json& m : members->as_array()) {
    bool is_group = m.Find("value")->as_string() == child;
    SCOPED_TRACE(m.Find("value")->as_string());
    EXPECT_EQ(m.Find("type")->as_string(), is_group ? "Group" : "User");
    EXPECT_NE(m.Find("$ref")->as_string().find(is_group ? "/Groups/" + child : "/Users/" + user),
              std::string::npos);
    if (is_group) {
      EXPECT_EQ(m.Find("display")->as_string(), child_name);
    }
  }
  Response filtered = Call("GET", "/Groups?filter=members%5Bvalue%20eq%20%22" + child + "%22%5D");
  ASSERT_EQ(TotalOf(filtered), 1);
  EXPECT_EQ(filtered.json().Find("Resources")->as_array()[0].Find("id")->as_string(), parent);
  std::vector<std::string> groups = Values(Call("GET", "/Users/" + user).json(), "groups");
  EXPECT_EQ(std::set<std::string>(groups.begin(), groups.end()),
            (std::set<std::string>{child, parent}));

  EXPECT_TRUE(WaitUntil([&] {
    return DirectoryGroupVersion(parent) == 1 && DirectoryMembers(parent) == std::set{user};
  })) << "the directory has the user member, not the nested group";
  EXPECT_TRUE(WaitUntil([&] { return DirectoryMembers(child) == std::set{user}; }));
}

// Deleting a group: GET is 404; it leaves the groups it was in (their
// version moves on); its members' `groups` no longer list it; the daemon
// removes it from the directory, as a group and as a member.
TEST(GroupsApiTest, DeletingAGroupRemovesItsMembershipsEverywhere) {
  std::string user = IdOf(Call("POST", "/Users", UserBody(Unique("member"))));
  std::string other = IdOf(Call("POST", "/Users", UserBody(Unique("stays"))));
  std::string doomed = CreateGroup(Unique("Doomed group"), {user});
  std::string parent = CreateGroup(Unique("Outer group"), {other, doomed});
  ASSERT_TRUE(WaitUntil([&] { return DirectoryMembers(parent).size() == 1; }));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryMembers(doomed) == std::set{user}; }));

  ASSERT_EQ(Call("DELETE", "/Groups/" + doomed).status, 204);
  EXPECT_EQ(Call("GET", "/Groups/" + doomed).status, 404);
  EXPECT_EQ(Call("DELETE", "/Groups/" + doomed).status, 404);
  Response outer = Call("GET", "/Groups/" + parent);
  EXPECT_EQ(Values(outer.json(), "members"), std::vector<std::string>{other});
  EXPECT_EQ(outer.headers["etag"], "W/\"2\"");
  EXPECT_TRUE(Values(Call("GET", "/Users/" + user).json(), "groups").empty());
  EXPECT_EQ(Values(Call("GET", "/Users/" + other).json(), "groups"),
            std::vector<std::string>{parent});
  EXPECT_EQ(TotalOf(Call("GET", "/Groups?filter=id%20eq%20%22" + doomed + "%22")), 0);

  EXPECT_TRUE(WaitUntil(
      [&] { return DirectoryRowsNaming(doomed) == 0 && DirectoryGroupVersion(parent) == 2; }));
  EXPECT_EQ(DirectoryMembers(parent), std::set{other});
}

}  // namespace
}  // namespace scim::it
