#include "common/scim/user_service.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

class UserServiceTest : public ::testing::Test {
 protected:
  Json Body(const std::string& user_name, const std::string& extra = "") {
    return ParseJson(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" +
                     user_name + "\"" + extra + "}")
        .value();
  }
  testing::FakeUserStore store_;
  testing::FakeClock clock_;
  testing::SequentialIds ids_;
  UserService service_{store_, clock_, ids_};
};

TEST_F(UserServiceTest, CreateAssignsIdVersionTimesAndEnqueues) {
  auto u = service_.Create(Body("ann"));
  ASSERT_SCIM_OK(u);
  EXPECT_EQ(u.value().id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(u.value().version, 1);
  EXPECT_EQ(u.value().created_ms, clock_.now);
  ASSERT_EQ(store_.queue.size(), 1u);
  EXPECT_EQ(store_.queue[0].Find("version")->as_int(), 1);
}

TEST_F(UserServiceTest, DuplicateUserNameIsUniquenessAndEnqueuesNothing) {
  ASSERT_SCIM_OK(service_.Create(Body("ann")));
  EXPECT_SCIM_ERROR(service_.Create(Body("ANN")), 409, ScimType::kUniqueness);
  EXPECT_EQ(store_.queue.size(), 1u);
}

TEST_F(UserServiceTest, InvalidBodyNeverReachesTheStore) {
  EXPECT_SCIM_ERROR(service_.Create(ParseJson(R"({"userName":"x"})").value()), 400,
                    ScimType::kInvalidValue);
  EXPECT_TRUE(store_.users.empty());
}

TEST_F(UserServiceTest, GetUnknownIdIsNotFound) {
  EXPECT_SCIM_ERROR(service_.Get("nope"), 404, ScimType::kNone);
}

TEST_F(UserServiceTest, ListFiltersByUserNameCaseInsensitively) {
  ASSERT_SCIM_OK(service_.Create(Body("ann")));
  ASSERT_SCIM_OK(service_.Create(Body("bob", R"(,"externalId":"E1")")));
  ListQuery q;
  q.filter = R"(USERNAME eq "BOB")";
  auto page = service_.List(q);
  ASSERT_SCIM_OK(page);
  ASSERT_EQ(page.value().total, 1);
  EXPECT_EQ(page.value().users[0].id, "00000000-0000-4000-8000-000000000002");

  q.filter = "externalId eq E1";  // Entra's unquoted literal
  page = service_.List(q);
  ASSERT_SCIM_OK(page);
  EXPECT_EQ(page.value().total, 1);

  q.filter = R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "nobody")";
  page = service_.List(q);
  ASSERT_SCIM_OK(page);
  EXPECT_EQ(page.value().total, 0);
}

TEST_F(UserServiceTest, ListPagesInCreationOrder) {
  for (const char* n : {"a", "b", "c"}) ASSERT_SCIM_OK(service_.Create(Body(n)));
  ListQuery q;
  q.start_index = 2;
  q.count = 1;
  auto page = service_.List(q);
  ASSERT_SCIM_OK(page);
  EXPECT_EQ(page.value().total, 3);
  ASSERT_EQ(page.value().users.size(), 1u);
  EXPECT_EQ(ColumnsOf(page.value().users[0].attributes).user_name, "b");
}

TEST_F(UserServiceTest, FiltersTheSkeletonCannotRunAreInvalidFilter) {
  for (const char* f : {R"(userName co "a")", R"(title eq "x")", "userName eq 42"}) {
    SCOPED_TRACE(f);
    ListQuery q;
    q.filter = f;
    EXPECT_SCIM_ERROR(service_.List(q), 400, ScimType::kInvalidFilter);
  }
}

}  // namespace
}  // namespace scim
