#include "common/scim/bulk.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& t) { return ParseJson(t).value(); }

Json Bulk(const std::string& ops, const std::string& extra = "") {
  return Parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"])" + extra +
               R"(,"Operations":)" + ops + "}");
}

const char* kUserData = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")";

TEST(BulkTest, ResolvesBulkIdsEvenForwardAndReportsEachOperation) {
  testing::FakeServices s;
  // The group refers to a user created by a later operation.
  std::string ops = R"([
    {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "displayName":"G","members":[{"type":"User","value":"bulkId:u1"}]}},
    {"method":"POST","path":"/Users","bulkId":"u1","data":)" +
                    std::string(kUserData) + R"(alice"}},
    {"method":"PATCH","path":"/Users/bulkId:u1","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"op":"replace","path":"title","value":"Boss"}]}}])";
  auto r = RunBulk(Bulk(ops), s.users, s.groups, "https://h/scim/v2", testing::kWho);
  ASSERT_SCIM_OK(r);
  const auto& out = r.value().Find("Operations")->as_array();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].Find("status")->as_string(), "201");
  EXPECT_EQ(out[1].Find("status")->as_string(), "201");
  EXPECT_EQ(out[2].Find("status")->as_string(), "200");
  std::string uid = s.user_store.records.at(0).id;
  EXPECT_EQ(out[1].Find("location")->as_string(), "https://h/scim/v2/Users/" + uid);
  EXPECT_EQ(s.group_store.members[s.group_store.records.at(0).id], std::vector<std::string>{uid});
  EXPECT_EQ(s.user_store.records.at(0).attributes.Find("title")->as_string(), "Boss");
}

TEST(BulkTest, FailOnErrorsStopsAndUnresolvableReferencesAre409) {
  testing::FakeServices s;
  std::string ops = R"([
    {"method":"POST","path":"/Users","bulkId":"a","data":)" +
                    std::string(kUserData) + R"(dup"}},
    {"method":"POST","path":"/Users","bulkId":"b","data":)" +
                    std::string(kUserData) + R"(dup"}},
    {"method":"POST","path":"/Users","bulkId":"c","data":)" +
                    std::string(kUserData) + R"(other"}}])";
  auto r = RunBulk(Bulk(ops, R"(,"failOnErrors":1)"), s.users, s.groups, "", testing::kWho);
  ASSERT_SCIM_OK(r);
  const auto& out = r.value().Find("Operations")->as_array();
  ASSERT_EQ(out.size(), 2u);  // stopped after the first error
  EXPECT_EQ(out[1].Find("status")->as_string(), "409");
  EXPECT_EQ(out[1].Find("response")->Find("scimType")->as_string(), "uniqueness");
  // And in the store: "other" (after the error) was never created.
  ASSERT_EQ(s.user_store.records.size(), 1u);
  EXPECT_EQ(s.user_store.records[0].attributes.Find("userName")->as_string(), "dup");
  EXPECT_EQ(s.user_store.queue.size(), 1u);

  auto dangling = RunBulk(Bulk(R"([{"method":"PATCH","path":"/Users/bulkId:nope","data":{}}])"),
                          s.users, s.groups, "", testing::kWho);
  ASSERT_SCIM_OK(dangling);
  EXPECT_EQ(dangling.value().Find("Operations")->as_array()[0].Find("status")->as_string(), "409");
}

// A failed operation's response is the error body of an HTTP answer
// (ErrorJson, the one writer), with the operation's status.
TEST(BulkTest, FailedOperationsCarryTheScimErrorBody) {
  testing::FakeServices s;
  auto r = RunBulk(Bulk(R"([{"method":"GET","path":"/Users/00000000-0000-4000-8000-000000000001"},
                           {"method":"PATCH","path":"/Users/bulkId:nope","data":{}}])"),
                   s.users, s.groups, "", testing::kWho);
  ASSERT_SCIM_OK(r);
  const auto& out = r.value().Find("Operations")->as_array();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].Find("status")->as_string(), "405");
  EXPECT_EQ(*out[0].Find("response"), ErrorJson(MethodNotAllowed("unknown bulk method 'GET'")));
  EXPECT_EQ(out[1].Find("status")->as_string(), "409");
  EXPECT_EQ(*out[1].Find("response"),
            ErrorJson(UnresolvedBulkId("a bulkId reference cannot be resolved")));
}

// RFC 7644 §3.7.3: a successful operation carries its status, location and
// version; its response body may be left out. A group PATCH answers as the
// RFC's own example does ("200", no body) and never reads the members.
TEST(BulkTest, AGroupPatchAnswers200WithLocationAndVersionAndReadsNoMembers) {
  testing::FakeServices s;
  std::string ops = R"([
    {"method":"POST","path":"/Users","bulkId":"u1","data":)" +
                    std::string(kUserData) + R"(alice"}},
    {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "displayName":"G"}},
    {"method":"PATCH","path":"/Groups/bulkId:g1","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u1"}]}]}}])";
  auto r = RunBulk(Bulk(ops), s.users, s.groups, "https://h/scim/v2", testing::kWho);
  ASSERT_SCIM_OK(r);
  const auto& out = r.value().Find("Operations")->as_array();
  ASSERT_EQ(out.size(), 3u);
  std::string gid = s.group_store.records.at(0).id;
  EXPECT_EQ(out[2], Parse(R"({"method":"PATCH","location":"https://h/scim/v2/Groups/)" + gid +
                          R"(","version":"W/\"2\"","status":"200"})"));
  EXPECT_EQ(s.group_store.related_reads, 0);
  EXPECT_EQ(s.group_store.members[gid].size(), 1u);
}

TEST(BulkTest, RejectsMalformedAndOversizedRequests) {
  testing::FakeServices s;
  EXPECT_SCIM_ERROR(RunBulk(Parse("{}"), s.users, s.groups, "", testing::kWho), 400,
                    ScimType::kInvalidSyntax);
  std::string many = "[";
  for (int i = 0; i <= kMaxBulkOperations; ++i) {
    many += std::string(i ? "," : "") + R"({"method":"DELETE","path":"/Users/x"})";
  }
  many += "]";
  EXPECT_SCIM_ERROR(RunBulk(Bulk(many), s.users, s.groups, "", testing::kWho), 413,
                    ScimType::kNone);
  EXPECT_SCIM_ERROR(RunBulk(Bulk(R"([{"method":"POST","path":"/Users","data":{}}])"), s.users,
                            s.groups, "", testing::kWho),
                    400, ScimType::kInvalidValue);
}

}  // namespace
}  // namespace scim
