#include "common/scim/resource_service.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& text) { return ParseJson(text).value(); }

Json UserBody(const std::string& user_name, const std::string& extra = "") {
  return Parse(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" +
               user_name + "\"" + extra + "}");
}

Json PatchBody(const std::string& ops) {
  return Parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
               ops + "}");
}

class ResourceServiceTest : public ::testing::Test {
 protected:
  std::string CreateUser(const std::string& name, const std::string& extra = "") {
    auto u = s_.users.Create(UserBody(name, extra), testing::kWho);
    EXPECT_SCIM_OK(u);
    return u.ok() ? u.value().id : "";
  }
  ListResult List(ResourceService& svc, const std::string& filter, const std::string& sort = "") {
    ListQuery q;
    q.filter = filter;
    q.sort_by = sort;
    auto r = svc.List(q, "https://h/scim/v2");
    EXPECT_SCIM_OK(r);
    return r.ok() ? r.value() : ListResult{};
  }
  testing::FakeServices s_;
};

TEST_F(ResourceServiceTest, CreateAssignsIdVersionTimesHashesPasswordAndEnqueues) {
  auto u = s_.users.Create(UserBody("ann", R"(,"password":"secret")"), testing::kWho);
  ASSERT_SCIM_OK(u);
  EXPECT_EQ(u.value().id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(u.value().version, 1);
  EXPECT_EQ(u.value().created_ms, s_.clock.now);
  EXPECT_EQ(u.value().attributes.Find("password")->as_string(), "hashed:secret");
  ASSERT_EQ(s_.user_store.queue.size(), 1u);
  EXPECT_EQ(s_.user_store.queue[0].Find("version")->as_int(), 1);
}

TEST_F(ResourceServiceTest, DuplicateUserNameIsUniqueness) {
  CreateUser("ann");
  EXPECT_SCIM_ERROR(s_.users.Create(UserBody("ANN"), testing::kWho), 409, ScimType::kUniqueness);
  EXPECT_EQ(s_.user_store.queue.size(), 1u);
}

TEST_F(ResourceServiceTest, PutReplacesEverythingButKeepsThePassword) {
  std::string id = CreateUser("ann", R"(,"password":"secret","title":"Eng")");
  // Okta's PUT: the full resource, with id and an empty groups list.
  auto r =
      s_.users.Replace(id, UserBody("ann", R"(,"id":")" + id + R"(","groups":[],"active":false)"),
                       "", testing::kWho);
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(r.value().version, 2);
  EXPECT_EQ(r.value().attributes.Find("title"), nullptr);
  EXPECT_EQ(r.value().attributes.Find("password")->as_string(), "hashed:secret");
  EXPECT_EQ(s_.hasher.calls, 1);
  EXPECT_FALSE(r.value().attributes.Find("active")->as_bool());
}

TEST_F(ResourceServiceTest, IfMatchGuardsWrites) {
  std::string id = CreateUser("ann");
  auto ops = PatchBody(R"([{"op":"replace","path":"title","value":"x"}])");
  EXPECT_SCIM_ERROR(s_.users.Patch(id, ops, "W/\"7\"", testing::kWho), 412, ScimType::kNone);
  EXPECT_SCIM_OK(s_.users.Patch(id, ops, "W/\"1\"", testing::kWho));
  EXPECT_SCIM_ERROR(s_.users.Delete(id, "\"1\"", testing::kWho), 412, ScimType::kNone);
  EXPECT_SCIM_OK(s_.users.Delete(id, "*", testing::kWho));
  EXPECT_SCIM_ERROR(s_.users.Get(id), 404, ScimType::kNone);
  EXPECT_EQ(s_.user_store.queue.back().Find("op")->as_string(), "delete");
  EXPECT_EQ(s_.user_store.queue.back().Find("version")->as_int(), 3);
}

// Another writer changes the user between the service's read and its
// write. Without If-Match the write is redone on the newer version (so
// the other writer's change is kept); with If-Match it is 412 at once.
TEST_F(ResourceServiceTest, AWriteWithoutIfMatchIsRedoneAfterAConcurrentWrite) {
  std::string id = CreateUser("ann");
  int updates = 0;
  s_.user_store.before_update = [&] {
    if (++updates > 1) return;
    ResourceRecord& stored = s_.user_store.records[0];
    stored.attributes.Set("nickName", "Annie");
    stored.version += 1;
  };
  auto r = s_.users.Patch(id, PatchBody(R"([{"op":"replace","path":"title","value":"x"}])"), "",
                          testing::kWho);
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(updates, 2) << "one lost race, one retry";
  EXPECT_EQ(r.value().version, 3);
  const Json& stored = s_.user_store.records[0].attributes;
  EXPECT_EQ(stored.Find("title")->as_string(), "x");
  EXPECT_EQ(stored.Find("nickName")->as_string(), "Annie") << "the other write is kept";

  updates = 0;
  s_.user_store.before_update = [&] {
    ++updates;
    s_.user_store.records[0].version += 1;
  };
  EXPECT_SCIM_ERROR(
      s_.users.Patch(id, PatchBody(R"([{"op":"replace","path":"title","value":"y"}])"), WeakEtag(3),
                     testing::kWho),
      412, ScimType::kNone);
  EXPECT_EQ(updates, 1) << "with If-Match there is no retry";

  // A writer that wins every race: the retries are bounded.
  updates = 0;
  EXPECT_SCIM_ERROR(s_.users.Replace(id, UserBody("ann"), "", testing::kWho), 412, ScimType::kNone);
  EXPECT_EQ(updates, 3);
}

TEST_F(ResourceServiceTest, APatchThatChangesNothingKeepsTheVersionAndEnqueuesNothing) {
  std::string id = CreateUser("ann", R"(,"active":true)");
  // Entra re-sends active:true every cycle.
  auto r = s_.users.Patch(id, PatchBody(R"([{"op":"Replace","path":"active","value":"True"}])"), "",
                          testing::kWho);
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(r.value().version, 1);
  EXPECT_EQ(s_.user_store.queue.size(), 1u);
}

TEST_F(ResourceServiceTest, ListFiltersExactlyWhateverTheStoreReturns) {
  CreateUser("ann", R"(,"emails":[{"value":"ann@x.com","type":"work"}],"active":true)");
  CreateUser("bob", R"(,"externalId":"E1","active":false)");
  EXPECT_EQ(List(s_.users, R"(USERNAME eq "BOB")").total, 1);
  EXPECT_EQ(List(s_.users, "externalId eq E1").total, 1);
  EXPECT_EQ(List(s_.users, R"(externalId eq "e1")").total, 0);  // caseExact
  EXPECT_EQ(List(s_.users, R"(emails[type eq "work" and value co "@x.com"])").total, 1);
  EXPECT_EQ(List(s_.users, R"(active eq false or userName sw "a")").total, 2);
  EXPECT_EQ(List(s_.users, R"(meta.lastModified ge "2020-01-01T00:00:00Z")").total, 2);
  EXPECT_EQ(List(s_.users, R"(userName eq "nobody")").total, 0);
  // The pushed-down conditions only narrow; the store saw the equality.
  ASSERT_EQ(s_.user_store.last_query.conditions.size(), 1u);
  EXPECT_EQ(s_.user_store.last_query.conditions[0].column, Column::kUserName);
}

TEST_F(ResourceServiceTest, ListSortsOnAttributesWithoutAColumn) {
  CreateUser("b", R"(,"title":"Zeta")");
  CreateUser("a", R"(,"title":"alpha")");
  CreateUser("c");
  ListResult r = List(s_.users, "", "title");
  ASSERT_EQ(r.resources.size(), 3u);
  EXPECT_EQ(r.resources[0].Find("userName")->as_string(), "a");
  EXPECT_EQ(r.resources[1].Find("userName")->as_string(), "b");
  EXPECT_EQ(r.resources[2].Find("userName")->as_string(), "c");  // missing sorts last
}

TEST_F(ResourceServiceTest, ListPagesWithoutFilterInTheStore) {
  for (const char* n : {"a", "b", "c"}) CreateUser(n);
  ListQuery q;
  q.start_index = 2;
  q.count = 1;
  auto page = s_.users.List(q, "https://h/scim/v2");
  ASSERT_SCIM_OK(page);
  EXPECT_EQ(page.value().total, 3);
  ASSERT_EQ(page.value().resources.size(), 1u);
  EXPECT_EQ(page.value().resources[0].Find("userName")->as_string(), "b");
  EXPECT_EQ(s_.user_store.last_query.offset, 1);
  EXPECT_EQ(s_.user_store.last_query.limit, 1);
}

TEST_F(ResourceServiceTest, BadFiltersAreInvalidFilter) {
  for (const char* f : {"userName eq", R"(active gt true)", "(userName eq \"a\""}) {
    SCOPED_TRACE(f);
    ListQuery q;
    q.filter = f;
    EXPECT_SCIM_ERROR(s_.users.List(q, ""), 400, ScimType::kInvalidFilter);
  }
}

class GroupServiceTest : public ResourceServiceTest {
 protected:
  std::string CreateGroup(const std::vector<std::string>& members) {
    std::string m;
    for (const auto& id : members)
      m += std::string(m.empty() ? "" : ",") + R"({"value":")" + id + "\"}";
    auto g = s_.groups.Create(
        Parse(
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[)" +
            m + "]}"),
        testing::kWho);
    EXPECT_SCIM_OK(g);
    return g.ok() ? g.value().id : "";
  }
  std::vector<std::string> Members(const std::string& g) { return s_.group_store.members[g]; }
};

TEST_F(GroupServiceTest, MembersLiveOutsideTheAttributes) {
  std::string u1 = CreateUser("u1");
  std::string g = CreateGroup({u1});
  EXPECT_EQ(Members(g), std::vector<std::string>{u1});
  EXPECT_EQ(s_.group_store.records[0].attributes.Find("members"), nullptr);
  auto rendered = s_.groups.Render(s_.group_store.records[0], "https://h/scim/v2", Projection{});
  ASSERT_SCIM_OK(rendered);
  EXPECT_EQ(rendered.value().Find("members")->as_array()[0].Find("value")->as_string(), u1);
  auto without = s_.groups.Render(s_.group_store.records[0], "https://h/scim/v2",
                                  ParseProjection("", "members").value());
  ASSERT_SCIM_OK(without);
  EXPECT_EQ(without.value().Find("members"), nullptr);
}

TEST_F(GroupServiceTest, RemoveWithAValueRemovesExactlyThoseMembers) {
  std::string u1 = CreateUser("u1"), u2 = CreateUser("u2"), u3 = CreateUser("u3");
  std::string g = CreateGroup({u1, u2, u3});
  // Entra: remove with value instead of a filter path.
  auto r = s_.groups.Patch(
      g, PatchBody(R"([{"op":"Remove","path":"members","value":[{"value":")" + u2 + R"("}]}])"), "",
      testing::kWho);
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(Members(g), (std::vector<std::string>{u1, u3}));
}

TEST_F(GroupServiceTest, MemberAddFilterRemoveReplaceAndRename) {
  std::string u1 = CreateUser("u1"), u2 = CreateUser("u2"), u3 = CreateUser("u3");
  std::string g = CreateGroup({u1});
  ASSERT_SCIM_OK(s_.groups.Patch(
      g,
      PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + u2 + R"("}]},
                       {"op":"replace","value":{"id":")" +
                g + R"(","displayName":"Renamed"}}])"),
      "", testing::kWho));
  EXPECT_EQ(Members(g), (std::vector<std::string>{u1, u2}));
  EXPECT_EQ(s_.groups.Get(g).value().attributes.Find("displayName")->as_string(), "Renamed");
  ASSERT_SCIM_OK(s_.groups.Patch(
      g, PatchBody(R"([{"op":"remove","path":"members[value eq \")" + u1 + R"(\"]"}])"), "",
      testing::kWho));
  EXPECT_EQ(Members(g), (std::vector<std::string>{u2}));
  ASSERT_SCIM_OK(s_.groups.Patch(
      g, PatchBody(R"([{"op":"replace","path":"members","value":[{"value":")" + u3 + R"("}]}])"),
      "", testing::kWho));
  EXPECT_EQ(Members(g), (std::vector<std::string>{u3}));
  ASSERT_SCIM_OK(
      s_.groups.Patch(g, PatchBody(R"([{"op":"remove","path":"members"}])"), "", testing::kWho));
  EXPECT_TRUE(Members(g).empty());
  EXPECT_SCIM_ERROR(
      s_.groups.Patch(g, PatchBody(R"([{"op":"add","path":"members","value":[{"value":"nope"}]}])"),
                      "", testing::kWho),
      400, ScimType::kInvalidValue);
}

TEST(IfMatchTest, AcceptsWeakStrongListsAndStar) {
  EXPECT_TRUE(IfMatchAllows("W/\"3\"", 3));
  EXPECT_TRUE(IfMatchAllows("\"3\"", 3));
  EXPECT_TRUE(IfMatchAllows("*", 9));
  EXPECT_TRUE(IfMatchAllows("W/\"1\", W/\"3\"", 3));
  EXPECT_FALSE(IfMatchAllows("W/\"2\"", 3));
  EXPECT_FALSE(IfMatchAllows("", 3));
}

}  // namespace
}  // namespace scim

namespace scim {
namespace {

TEST_F(ResourceServiceTest, CursorPaginationWalksEveryResourceOnce) {
  for (const char* n : {"a", "b", "c", "d", "e"}) CreateUser(n);
  for (const std::string filter : {"", R"(userName ne "c")"}) {
    SCOPED_TRACE(filter);
    std::vector<std::string> seen;
    ListQuery q;
    q.filter = filter;
    q.count = 2;
    q.cursor = "";
    for (int page = 0; page < 10; ++page) {
      auto r = s_.users.List(q, "");
      ASSERT_SCIM_OK(r);
      EXPECT_TRUE(r.value().cursor_mode);
      for (const auto& j : r.value().resources) seen.push_back(j.Find("userName")->as_string());
      if (!r.value().next_cursor) break;
      q.cursor = *r.value().next_cursor;
    }
    std::vector<std::string> want = filter.empty()
                                        ? std::vector<std::string>{"a", "b", "c", "d", "e"}
                                        : std::vector<std::string>{"a", "b", "d", "e"};
    EXPECT_EQ(seen, want);
  }
  ListQuery bad;
  bad.cursor = "garbage";
  EXPECT_SCIM_ERROR(s_.users.List(bad, ""), 400, ScimType::kInvalidCursor);
  EXPECT_EQ(DecodeCursor(EncodeCursor(123456789)).value_or(-1), 123456789);
}

}  // namespace
}  // namespace scim

namespace scim {
namespace {

TEST_F(ResourceServiceTest, RenamingOntoATakenUserNameIsUniqueness) {
  CreateUser("ann");
  std::string bob = CreateUser("bob");
  EXPECT_SCIM_ERROR(
      s_.users.Patch(bob, PatchBody(R"([{"op":"replace","path":"userName","value":"ANN"}])"), "",
                     testing::kWho),
      409, ScimType::kUniqueness);
  EXPECT_SCIM_ERROR(s_.users.Replace(bob, UserBody("Ann"), "", testing::kWho), 409,
                    ScimType::kUniqueness);
  EXPECT_EQ(s_.users.Get(bob).value().version, 1);
}

}  // namespace
}  // namespace scim

namespace scim {
namespace {

TEST_F(GroupServiceTest, ConcurrentMemberPatchesWithoutIfMatchNeverGet412) {
  std::string u1 = CreateUser("u1"), u2 = CreateUser("u2");
  std::string g = CreateGroup({});
  // Another writer bumps the group's version between every read and write.
  s_.group_store.before_update = [&] { s_.group_store.records[0].version += 1; };
  auto r = s_.groups.Patch(
      g, PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + u1 + R"("}]}])"), "",
      testing::kWho);
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(r.value().version, s_.group_store.records[0].version) << "the stored version";
  EXPECT_EQ(Members(g), std::vector<std::string>{u1});
  // With If-Match, or when attributes change, the optimistic check stays.
  EXPECT_SCIM_ERROR(
      s_.groups.Patch(
          g, PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + u2 + R"("}]}])"),
          WeakEtag(s_.group_store.records[0].version), testing::kWho),
      412, ScimType::kNone);
  EXPECT_SCIM_ERROR(
      s_.groups.Patch(g, PatchBody(R"([{"op":"replace","path":"displayName","value":"X"}])"), "",
                      testing::kWho),
      412, ScimType::kNone);
}

}  // namespace
}  // namespace scim
