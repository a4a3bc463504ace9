#include <gtest/gtest.h>

#include "admin/pages.h"

namespace scim::admin {
namespace {

db::AuditEntry Entry(const std::string& user, const std::string& changes) {
  return {"2026-11-30T01:02:03.000000Z",
          {"okta", "req-1", "10.0.0.1", "User", "id-1", user, "create", changes, "ok", ""}};
}

TEST(AdminAuditTest, QueryParsesFiltersTimesAndPage) {
  AuditQuery q = ParseAuditQuery({{"user", " ann "},
                                  {"actor", "admin"},
                                  {"operation", "token create"},
                                  {"outcome", "done"},
                                  {"since", "2026-11-30"},
                                  {"until", "2026-12-01T00:00:00Z"},
                                  {"page", "2"}});
  EXPECT_EQ(q.error, "");
  EXPECT_EQ(q.filter.user_name, "ann");
  EXPECT_EQ(q.filter.actor, "admin");
  EXPECT_EQ(q.filter.operation, "token create");
  EXPECT_EQ(q.filter.outcome, "done");
  EXPECT_EQ(q.filter.since_ms, 1795996800000);
  EXPECT_EQ(q.filter.until_ms, 1795996800000 + 86400000);
  EXPECT_EQ(q.page, 2);
  EXPECT_NE(ParseAuditQuery({{"since", "yesterday"}}).error, "");
  EXPECT_EQ(ParseAuditQuery({}).filter.since_ms, 0);
}

TEST(AdminAuditTest, PageEscapesIdpValuesAndLinksKeepFilters) {
  AuditQuery q = ParseAuditQuery({{"user", "a&b"}, {"page", "1"}});
  std::string html =
      RenderAudit(q, {Entry("<script>alert(1)</script>", R"({"title":"<b>"})")}, true);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("{&quot;title&quot;:&quot;&lt;b&gt;&quot;}"), std::string::npos);
  EXPECT_NE(html.find("id=\"audit-older\" href=\"audit?user=a%26b&amp;page=2\""),
            std::string::npos);
  EXPECT_NE(html.find("id=\"audit-newer\" href=\"audit?user=a%26b\""), std::string::npos);
  EXPECT_NE(html.find("id=\"audit-csv\" href=\"audit.csv?user=a%26b\""), std::string::npos);
  EXPECT_NE(html.find("id=\"filter-user\" name=\"user\" value=\"a&amp;b\""), std::string::npos);
}

TEST(AdminAuditTest, CsvQuotesCellsAndDefusesFormulas) {
  std::string csv = AuditCsv({Entry("=cmd|' /C calc'!A0", "say \"hi\"")});
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "at,actor,request_id,client,resource_type,resource_id,user_name,operation,changes,"
            "outcome,detail");
  EXPECT_NE(csv.find("\"'=cmd|' /C calc'!A0\""), std::string::npos);
  EXPECT_NE(csv.find("\"say \"\"hi\"\"\""), std::string::npos);
}

TEST(AdminAuditTest, JsonIsAnArrayWithoutEmptyColumns) {
  std::string json = AuditJson({Entry("ann", "")});
  EXPECT_EQ(json.front(), '[');
  EXPECT_NE(json.find("\"user_name\":\"ann\""), std::string::npos);
  EXPECT_EQ(json.find("\"changes\""), std::string::npos);
  EXPECT_EQ(AuditJson({}), "[]\n");
}

}  // namespace
}  // namespace scim::admin
