// Documented protocol rules through nginx: the media types a body may have
// (415 otherwise), RFC 9865 cursor paging (no nextCursor on the last page,
// no sortBy with a cursor) and what /ServiceProviderConfig advertises about
// paging, checked against what the list endpoints do.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

std::string Patch(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

std::map<std::string, std::string> WithContentType(const std::string& type) {
  auto h = Auth(SharedToken());
  h["Content-Type"] = type;
  return h;
}

long long UsersNamed(const std::string& user_name) {
  long long n = -1;
  std::string name = user_name;
  Db() << "SELECT COUNT(*) FROM scim_users WHERE user_name = :n", soci::into(n), soci::use(name);
  return n;
}

// RFC 7644 §3.12 / §3.1: a body that is not JSON by its media type is 415,
// with a SCIM error body, and changes nothing.
TEST(ProtocolRulesTest, AWrongContentTypeIs415AndWritesNothing) {
  std::string name = Unique("typed");
  std::string id = IdOf(Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken())));
  for (const std::string type : {"text/plain", "application/xml",
                                 "application/x-www-form-urlencoded", "text/json; charset=utf-8"}) {
    SCOPED_TRACE(type);
    struct Request {
      std::string method, path, body;
    };
    std::string other = Unique("refused");
    for (const Request& q : std::vector<Request>{
             {"POST", "/scim/v2/Users", UserBody(other)},
             {"PUT", "/scim/v2/Users/" + id, UserBody(name, R"(,"title":"put")")},
             {"PATCH", "/scim/v2/Users/" + id,
              Patch(R"([{"op":"replace","path":"title","value":"patched"}])")},
             {"POST", "/scim/v2/Users/.search",
              R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]})"},
             {"POST", "/scim/v2/Bulk",
              R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                  "Operations":[{"method":"POST","path":"/Users","bulkId":"b","data":)" +
                  UserBody(other) + "}]}"}}) {
      SCOPED_TRACE(q.method + " " + q.path);
      Response r = Http(q.method, q.path, q.body, WithContentType(type));
      EXPECT_EQ(r.status, 415) << r.body.substr(0, 300);
      EXPECT_EQ(r.headers["content-type"], "application/scim+json");
      Json j = r.json();
      const Json* status = j.is_object() ? j.Find("status") : nullptr;
      EXPECT_EQ(status ? status->as_string() : r.body.substr(0, 300), "415");
    }
    EXPECT_EQ(UsersNamed(other), 0);
  }
  Response after = Http("GET", "/scim/v2/Users/" + id, "", Auth(SharedToken()));
  EXPECT_EQ(after.headers["etag"], "W/\"1\"") << "neither PUT nor PATCH changed it";
  EXPECT_EQ(after.json().Find("title"), nullptr);
}

struct Page {
  std::vector<std::string> ids;
  bool has_next = false;
  std::string next;
};

Page CursorPage(const std::string& query) {
  Response r = Http("GET", "/scim/v2/Users?" + query, "", Auth(SharedToken()));
  TotalOf(r);  // a 200 ListResponse, or the test stops here
  Page p;
  Json j = r.json();
  if (const Json* resources = j.Find("Resources")) {
    for (const auto& u : resources->as_array()) p.ids.push_back(u.Find("id")->as_string());
  }
  if (const Json* next = j.Find("nextCursor")) {
    p.has_next = true;
    p.next = next->as_string();
  }
  return p;
}

// RFC 9865 §2.2: nextCursor is left out on the last page, also when that
// page is full; a page that has one is never followed by an empty page.
TEST(ProtocolRulesTest, CursorPagesEndWithoutNextCursor) {
  std::string tag = Unique("cursor");
  std::vector<std::string> mine;
  for (int i = 0; i < 4; ++i) {
    mine.push_back(IdOf(Http("POST", "/scim/v2/Users", UserBody(tag + "-" + std::to_string(i)),
                             Auth(SharedToken()))));
  }
  std::string filter = "filter=userName%20sw%20%22" + tag + "%22&";
  for (int count : {2, 3, 4, 5}) {  // the last page full (2, 4) and not (3, 5)
    SCOPED_TRACE(count);
    std::vector<std::string> seen;
    Page p = CursorPage(filter + "count=" + std::to_string(count) + "&cursor=");
    int pages = 1;
    for (; p.has_next && pages < 10; ++pages) {
      ASSERT_EQ(p.ids.size(), static_cast<size_t>(count)) << "only the last page is short";
      seen.insert(seen.end(), p.ids.begin(), p.ids.end());
      p = CursorPage(filter + "count=" + std::to_string(count) + "&cursor=" + p.next);
    }
    seen.insert(seen.end(), p.ids.begin(), p.ids.end());
    EXPECT_FALSE(p.ids.empty()) << "the page before had a nextCursor, but nothing followed";
    EXPECT_EQ(seen, mine);
    EXPECT_EQ(pages, (4 + count - 1) / count);
  }
  // Without a filter (SQL pages): the whole list, to its last page.
  Page p = CursorPage("count=1000&cursor=");
  for (int pages = 1; p.has_next && pages < 100; ++pages) {
    ASSERT_EQ(p.ids.size(), 1000u);
    p = CursorPage("count=1000&cursor=" + p.next);
  }
  EXPECT_FALSE(p.has_next);
  EXPECT_FALSE(p.ids.empty());
  EXPECT_EQ(p.ids.back(), mine.back()) << "the newest user ends the list";
}

// docs/CONFORMANCE.md: cursor paging follows creation order, so a sortBy
// with it is 400 invalidValue.
TEST(ProtocolRulesTest, ACursorWithSortByIs400) {
  for (const std::string query : {"cursor=&sortBy=userName", "sortBy=userName&cursor=&count=5",
                                  "cursor=&sortBy=meta.lastModified&sortOrder=descending"}) {
    SCOPED_TRACE(query);
    Response r = Http("GET", "/scim/v2/Users?" + query, "", Auth(SharedToken()));
    EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
    Json j = r.json();
    const Json* type = j.is_object() ? j.Find("scimType") : nullptr;
    EXPECT_EQ(type ? type->as_string() : r.body.substr(0, 300), "invalidValue");
  }
}

int64_t ItemsPerPage(const std::string& query) {
  Response r = Http("GET", "/scim/v2/Users?" + query, "", Auth(SharedToken()));
  TotalOf(r);
  Json list = r.json();
  const Json* resources = list.Find("Resources");
  return resources ? static_cast<int64_t>(resources->as_array().size()) : 0;
}

// RFC 9865 §4: the "pagination" entry, and the list endpoints doing what it
// says (default and largest page, both methods).
TEST(ProtocolRulesTest, ServiceProviderConfigAdvertisesThePagingItDoes) {
  Response spc = Http("GET", "/scim/v2/ServiceProviderConfig", "", Auth(SharedToken()));
  ASSERT_EQ(spc.status, 200) << spc.body;
  Json config = spc.json();
  const Json* p = config.Find("pagination");
  ASSERT_NE(p, nullptr) << spc.body;
  EXPECT_TRUE(p->Find("cursor")->as_bool());
  EXPECT_TRUE(p->Find("index")->as_bool());
  EXPECT_EQ(p->Find("defaultPaginationMethod")->as_string(), "index");
  int64_t default_size = p->Find("defaultPageSize")->as_int();
  int64_t max_size = p->Find("maxPageSize")->as_int();
  EXPECT_EQ(default_size, 100);
  EXPECT_EQ(max_size, 1000);

  // Enough users that a default page is full.
  int64_t total = TotalOf(Http("GET", "/scim/v2/Users?count=0", "", Auth(SharedToken())));
  for (; total <= default_size; ++total) {
    IdOf(Http("POST", "/scim/v2/Users", UserBody(Unique("paging")), Auth(SharedToken())));
  }
  EXPECT_EQ(ItemsPerPage(""), default_size) << "index paging, no count";
  EXPECT_EQ(ItemsPerPage("cursor="), default_size) << "cursor paging, no count";
  std::string over = "count=" + std::to_string(max_size + 1);
  EXPECT_EQ(ItemsPerPage(over), std::min(total, max_size));
  EXPECT_EQ(ItemsPerPage(over + "&cursor="), std::min(total, max_size));
}

}  // namespace
}  // namespace scim::it
