// Adoption under concurrent lookups (issue 10): an IdP matching many of the
// application's users in parallel (Okta's import, an Entra cycle) looks up
// rows SCIM has never seen, whose keys are neighbours. Each lookup adopts
// its row; none may fail. At REPEATABLE READ two such adoptions deadlocked
// on directory_links' gap locks and the lookups answered 503
// (common/db/adoption.cc, ReadCommittedNext).
#include <gtest/gtest.h>

#include <cctype>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

TEST(AdoptionConcurrencyTest, ParallelLookupsOfNeverSeenNeighboursAllAdopt) {
  constexpr int kThreads = 16, kEach = 8;
  const std::string prefix = Unique("par");
  const std::string token = SharedToken();
  StackDaemonPaused paused;  // the lookups adopt, not the daemon's idle sweep
  ASSERT_TRUE(paused.ok());
  for (int i = 0; i < kThreads * kEach; ++i) {
    std::string name = prefix + "-" + std::to_string(i);
    Db() << "INSERT INTO directory_users (user_name, role, active, created_at, updated_at) "
            "VALUES (:n, 'Registered', 1, NOW(3), NOW(3))",
        soci::use(name);
  }
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int j = 0; j < kEach; ++j) {
        std::string name = prefix + "-" + std::to_string(j * kThreads + t);
        Response r = Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + name + "%22", "",
                          Auth(token));
        if (r.status != 200 || r.body.find("\"totalResults\":1") == std::string::npos) {
          std::lock_guard<std::mutex> lock(mu);
          failures.push_back(name + ": " + std::to_string(r.status) + " " + r.body.substr(0, 200));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " lookups failed, first: " << failures[0];
  long long linked = 0;
  std::string like = prefix + "-%";
  Db() << "SELECT COUNT(*) FROM " + std::string(kLinkedUsers) + " WHERE d.user_name LIKE :p",
      soci::into(linked), soci::use(like);
  EXPECT_EQ(linked, kThreads * kEach);
  // A later lookup (the IdP's next, in another case) reads the adopted user.
  std::string upper = prefix + "-0";
  for (auto& ch : upper) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  Response again =
      Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + upper + "%22", "", Auth(token));
  EXPECT_EQ(TotalOf(again), 1) << again.body;
  long long adopts = 0;
  Db() << "SELECT COUNT(*) FROM audit_log WHERE operation = 'adopt' AND user_name LIKE :p",
      soci::into(adopts), soci::use(like);
  EXPECT_EQ(adopts, kThreads * kEach);  // each row adopted once
}

}  // namespace
}  // namespace scim::it
