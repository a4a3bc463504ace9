// /Users through the real nginx, workers and MariaDB, as an IdP calls it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

long long Count(const std::string& sql, const std::string& value) {
  long long n = -1;
  std::string v = value;
  Db() << sql, soci::into(n), soci::use(v);
  return n;
}

TEST(UsersApiTest, CreateReadAndFilterAUser) {
  std::string name = Unique("ann") + "@example.com";
  std::string external_id = Unique("okta-00u1");
  Response created = Http("POST", "/scim/v2/Users",
                          UserBody(name, R"(,"name":{"givenName":"Ann","familyName":"Lee"},
                                   "emails":[{"value":"ann@example.com","primary":true}],
                                   "externalId":")" +
                                             external_id + R"(")"),
                          Auth(SharedToken()));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers["content-type"], "application/scim+json");
  Json user = created.json();
  std::string id = user.Find("id")->as_string();
  std::string base = "http://127.0.0.1:" + std::to_string(TestEnv().port) + "/scim/v2";
  EXPECT_EQ(created.headers["location"], base + "/Users/" + id);
  EXPECT_EQ(created.headers["etag"], "W/\"1\"");
  EXPECT_EQ(user.Find("meta")->Find("location")->as_string(), base + "/Users/" + id);

  Response got = Http("GET", "/scim/v2/Users/" + id, "", Auth(SharedToken()));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.headers["content-type"], "application/scim+json");
  EXPECT_EQ(got.json(), user);

  // userName is case-insensitive; Okta sends %20 and Entra sends '+'.
  std::string upper = name;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Response list = Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + upper + "%22", "",
                       Auth(SharedToken()));
  ASSERT_EQ(list.status, 200) << list.body;
  Json l = list.json();
  EXPECT_EQ(l.Find("schemas")->as_array()[0].as_string(),
            "urn:ietf:params:scim:api:messages:2.0:ListResponse");
  ASSERT_EQ(TotalOf(list), 1);
  EXPECT_EQ(l.Find("itemsPerPage")->as_int(), 1);
  EXPECT_EQ(l.Find("Resources")->as_array()[0].Find("id")->as_string(), id);

  Response by_ext = Http("GET", "/api/scim/v2/Users?filter=externalId+eq+" + external_id, "",
                         Auth(SharedToken()));
  ASSERT_EQ(TotalOf(by_ext), 1) << by_ext.body;
  EXPECT_EQ(by_ext.json().Find("Resources")->as_array()[0].Find("id")->as_string(), id);
}

// A user's groups are read with the user (GET), for a whole list page at
// once, and one by one for filtered lists: the same answer each way.
TEST(UsersApiTest, GroupsOfAUserAreTheSameInGetPagesAndFilters) {
  auto post = [](const std::string& path, const std::string& body) {
    return IdOf(Http("POST", "/scim/v2/" + path, body, Auth(SharedToken())));
  };
  std::string in_groups = post("Users", UserBody(Unique("grouped")));
  std::string alone = post("Users", UserBody(Unique("alone")));
  std::string g1 = Unique("First group"), g2 = Unique("Second group");
  auto group = [&](const std::string& name) {
    return post("Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                              "displayName":")" +
                              name + R"(","members":[{"value":")" + in_groups + R"("}]})");
  };
  std::string id1 = group(g1), id2 = group(g2);
  auto check = [&](const Json& user, const std::string& where) {
    SCOPED_TRACE(where);
    const Json* groups = user.Find("groups");
    if (user.Find("id")->as_string() == alone) {
      EXPECT_EQ(groups, nullptr);
      return;
    }
    ASSERT_NE(groups, nullptr);
    ASSERT_EQ(groups->as_array().size(), 2u);  // in the groups' creation order
    EXPECT_EQ(groups->as_array()[0].Find("value")->as_string(), id1);
    EXPECT_EQ(groups->as_array()[0].Find("display")->as_string(), g1);
    EXPECT_EQ(groups->as_array()[0].Find("type")->as_string(), "direct");
    EXPECT_NE(groups->as_array()[0].Find("$ref")->as_string().find("/Groups/" + id1),
              std::string::npos);
    EXPECT_EQ(groups->as_array()[1].Find("value")->as_string(), id2);
  };
  for (const std::string& id : {in_groups, alone}) {
    Response got = Http("GET", "/scim/v2/Users/" + id, "", Auth(SharedToken()));
    ASSERT_EQ(got.status, 200) << got.body;
    check(got.json(), "GET");
  }
  // The two users are the last two created: a page of two from the end.
  int64_t total = TotalOf(Http("GET", "/scim/v2/Users?count=0", "", Auth(SharedToken())));
  Response page = Http("GET", "/scim/v2/Users?startIndex=" + std::to_string(total - 1) + "&count=2",
                       "", Auth(SharedToken()));
  ASSERT_EQ(page.status, 200) << page.body;
  Json page_json = page.json();
  const auto& resources = page_json.Find("Resources")->as_array();
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0].Find("id")->as_string(), in_groups);
  for (const auto& r : resources) check(r, "page");
  Response filtered = Http("GET", "/scim/v2/Users?filter=id%20eq%20%22" + in_groups + "%22", "",
                           Auth(SharedToken()));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  check(filtered.json().Find("Resources")->as_array()[0], "filter");
}

// The whole user list in one order, page by page: ids and lastModified.
struct Listed {
  std::vector<std::string> ids, last_modified;
};

Listed ListUsers(const std::string& order, int64_t start = 1, int64_t count = 1000) {
  Listed out;
  for (int64_t at = start;; at += 1000) {
    Response r = Http("GET",
                      "/scim/v2/Users?" + order + "startIndex=" + std::to_string(at) +
                          "&count=" + std::to_string(std::min<int64_t>(count, 1000)),
                      "", Auth(SharedToken()));
    int64_t total = TotalOf(r);
    Json j = r.json();
    const Json* resources = j.Find("Resources");
    if (resources) {
      for (const auto& u : resources->as_array()) {
        out.ids.push_back(u.Find("id")->as_string());
        out.last_modified.push_back(u.Find("meta")->Find("lastModified")->as_string());
      }
    }
    if (count <= 1000 || at + 1000 > total) return out;
  }
}

// Pages from startIndex > 1 skip through an index, then read their rows:
// each page is the same slice of the whole list, in every order, and the
// order is the one asked for.
TEST(UsersApiTest, PagesAreSlicesOfTheWholeListInEveryOrder) {
  // This test's users, created out of name order.
  std::string tag = Unique("page");
  std::map<std::string, char> letter_of;  // id -> its name's last letter
  for (char letter : {'c', 'a', 'd', 'b'}) {
    std::string name = tag + "-" + letter;
    letter_of[IdOf(Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken())))] = letter;
  }
  struct Order {
    std::string query;
    std::string mine;  // this test's users in that order, "" when not by name or creation
  };
  for (const Order& order :
       std::vector<Order>{{"", "cadb"},
                          {"sortBy=userName&", "abcd"},
                          {"sortBy=userName&sortOrder=descending&", "dcba"},
                          {"sortBy=meta.lastModified&sortOrder=descending&", ""}}) {
    SCOPED_TRACE(order.query);
    Listed all = ListUsers(order.query, 1, INT64_MAX);
    ASSERT_GE(all.ids.size(), 4u);
    std::string mine;
    for (const auto& id : all.ids) {
      if (letter_of.count(id)) mine += letter_of[id];
    }
    EXPECT_EQ(mine, order.mine.empty() ? mine : order.mine);
    if (order.mine.empty()) {  // newest first (ties may take either order)
      EXPECT_TRUE(std::is_sorted(all.last_modified.rbegin(), all.last_modified.rend()));
    }
    for (size_t start : {size_t{2}, size_t{3}, all.ids.size() - 1}) {
      std::vector<std::string> page = ListUsers(order.query, static_cast<int64_t>(start), 2).ids;
      std::vector<std::string> want(all.ids.begin() + static_cast<long>(start) - 1,
                                    all.ids.begin() + std::min(static_cast<long>(start) + 1,
                                                               static_cast<long>(all.ids.size())));
      EXPECT_EQ(page, want) << "startIndex=" << start;
    }
  }
}

// userName eq reads its one candidate by the unique key; the rest of the
// filter still decides.
TEST(UsersApiTest, AUserNameEqualityWithOtherConditionsIsEvaluatedWhole) {
  std::string name = Unique("Whole");
  ASSERT_EQ(Http("POST", "/scim/v2/Users", UserBody(name, R"(,"active":true)"), Auth(SharedToken()))
                .status,
            201);
  auto total = [](const std::string& filter) {
    return TotalOf(Http("GET", "/scim/v2/Users?filter=" + filter, "", Auth(SharedToken())));
  };
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(total("userName%20eq%20%22" + lower + "%22%20and%20active%20eq%20true"), 1);
  EXPECT_EQ(total("userName%20eq%20%22" + name + "%22%20and%20active%20eq%20false"), 0);
  EXPECT_EQ(total("active%20eq%20false%20and%20userName%20eq%20%22" + name + "%22"), 0);
  EXPECT_EQ(total("userName%20eq%20%22" + name + "%22%20or%20userName%20eq%20%22nobody%22"), 1);
  EXPECT_EQ(total("userName%20eq%20%22" + name + "x%22"), 0);
}

TEST(UsersApiTest, TheViewAndTheQueueRowAreWrittenTogether) {
  std::string name = Unique("queued");
  Response created = Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken()));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json().Find("id")->as_string();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM scim_users WHERE id = :id", id), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_queue WHERE resource_id = :id AND version = 1 "
                  "AND resource_type = 'User' AND op = 'upsert'",
                  id),
            1);
}

TEST(UsersApiTest, TestConnectionProbeFindsNothingAnd200) {
  Response r = Http("GET",
                    "/scim/v2/Users?filter=userName%20eq%20%22" + Unique("probe-uuid") +
                        "%22"
                        "&startIndex=1&count=100",
                    "", {{"Authorization", "Bearer " + SharedToken()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().Find("totalResults")->as_int(), 0);
  EXPECT_TRUE(r.json().Find("Resources")->as_array().empty());
}

TEST(UsersApiTest, DuplicateUserNameIs409AndWritesNothing) {
  std::string name = Unique("dup");
  ASSERT_EQ(Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken())).status, 201);
  std::string upper = name;
  upper[0] = 'D';
  Response r = Http("POST", "/scim/v2/Users", UserBody(upper), Auth(SharedToken()));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json().Find("scimType")->as_string(), "uniqueness");
  EXPECT_EQ(r.json().Find("status")->as_string(), "409");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM scim_users WHERE user_name = :n", name), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_queue q JOIN scim_users u ON u.id = q.resource_id "
                  "WHERE u.user_name = :n",
                  name),
            1);
}

TEST(UsersApiTest, MissingOrBadTokenIs401AndWritesNothing) {
  std::string name = Unique("intruder");
  for (const auto& headers : std::vector<std::map<std::string, std::string>>{
           {},
           {{"Authorization", "Bearer scimsync_not-a-real-token"}},
           {{"Authorization", "Basic dXNlcjpwYXNz"}}}) {
    Response r = Http("POST", "/scim/v2/Users", UserBody(name), headers);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/scim+json");
    EXPECT_EQ(r.json().Find("status")->as_string(), "401");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM scim_users WHERE user_name = :n", name), 0);
}

TEST(UsersApiTest, InvalidBodiesAre400WithScimType) {
  struct Case {
    std::string body;
    std::string scim_type;
  };
  for (const auto& c : std::vector<Case>{
           {"{\"userName\":", "invalidSyntax"},
           {R"({"userName":"no-schemas"})", "invalidValue"},
           {UserBody("x", R"(,"active":"perhaps")"), "invalidValue"},
           {R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]})", "invalidValue"}}) {
    SCOPED_TRACE(c.body);
    Response r = Http("POST", "/scim/v2/Users", c.body, Auth(SharedToken()));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json().Find("scimType")->as_string(), c.scim_type);
  }
}

TEST(UsersApiTest, AcceptsRequestsWithoutContentTypeAcceptOrUserAgent) {
  Response r = Http("POST", "/scim/v2/Users", UserBody(Unique("bare")),
                    {{"Authorization", "Bearer " + SharedToken()}});
  EXPECT_EQ(r.status, 201) << r.body;
  r = Http("POST", "/scim/v2/Users", UserBody(Unique("json")),
           {{"Authorization", "Bearer " + SharedToken()},
            {"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST(UsersApiTest, UnknownIdRouteAndMethodGetScimErrors) {
  Response r =
      Http("GET", "/scim/v2/Users/00000000-0000-4000-8000-000000000000", "", Auth(SharedToken()));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json().Find("status")->as_string(), "404");
  r = Http("GET", "/scim/v2/NoSuchThing", "", Auth(SharedToken()));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json().Find("status")->as_string(), "404");
  r = Http("DELETE", "/scim/v2/Users", "", Auth(SharedToken()));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET, POST");
}

TEST(UsersApiTest, OversizedBodyIs413WithScimBody) {
  std::string big = UserBody(Unique("big"), R"(,"title":")" + std::string(2 << 20, 'x') + "\"");
  Response r = Http("POST", "/scim/v2/Users", big, Auth(SharedToken()));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json().Find("status")->as_string(), "413");
  EXPECT_EQ(r.headers["content-type"], "application/scim+json");
}

}  // namespace
}  // namespace scim::it

namespace scim::it {
namespace {

TEST(UsersApiTest, SubstringFiltersFindNamesWithLikeCharacters) {
  std::string tag = Unique("like");
  // "-a\\\\b" in the JSON body is the userName "-a\\b" (one backslash).
  for (const std::string& n : {tag + "-50%off", tag + "-a_b", tag + "-a\\\\b", tag + "-axb"}) {
    ASSERT_EQ(Http("POST", "/scim/v2/Users", UserBody(n), Auth(SharedToken())).status, 201) << n;
  }
  auto count = [&](const std::string& filter) {
    return TotalOf(Http("GET", "/scim/v2/Users?filter=" + filter, "", Auth(SharedToken())));
  };
  EXPECT_EQ(count("userName%20co%20%22" + tag + "-50%25%22"), 1);     // co "…-50%"
  EXPECT_EQ(count("userName%20co%20%22" + tag + "-a_b%22"), 1);       // _ is not a wildcard
  EXPECT_EQ(count("userName%20ew%20%22" + tag + "-a%5C%5Cb%22"), 1);  // ew "…-a\\b"
  EXPECT_EQ(count("userName%20sw%20%22" + tag + "-a%22"), 3);
}

}  // namespace
}  // namespace scim::it
