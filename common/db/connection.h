// One lazily opened, reconnecting SOCI session to MySQL/MariaDB, and
// Guarded(), the one place that turns database exceptions into ScimErrors.
// A Connection is used by one thread at a time (SOCI sessions are not
// thread-safe); each worker thread and each daemon owns one.
#ifndef SCIM_COMMON_DB_CONNECTION_H_
#define SCIM_COMMON_DB_CONNECTION_H_

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "common/config/config.h"
#include "common/scim/error.h"

namespace scim::db {

class Connection {
 public:
  explicit Connection(config::DbConfig config) : config_(std::move(config)) {}

  // The open session, connecting first if needed. Errors: 503 when the
  // server cannot be reached (the cause is logged, not returned).
  Result<soci::session*> Get();

  // Drops the session; the next Get() reconnects.
  void Reset() { session_.reset(); }

 private:
  config::DbConfig config_;
  std::unique_ptr<soci::session> session_;
};

// SOCI's connect string for the config (values quoted for SOCI's parser).
std::string ConnectString(const config::DbConfig& config);

struct DbFailure {
  ScimError error;       // what the caller returns (no SQL in detail)
  bool connection_lost;  // the session is unusable; reset it
  bool retryable;        // deadlock, lock-wait timeout, stale connection
  bool conflict;         // 1213: a deadlock, or (Galera) a certification failure
};

// Classifies an exception thrown by SOCI (or anything else) and logs it.
// MySQL 1062 (duplicate key) becomes 409 uniqueness; unreachable and lost
// connections 503; deadlocks are retryable; the rest 500.
DbFailure ClassifyDbError(const std::exception& e);

// How many 1213 errors (deadlocks; on Galera, certification conflicts: two
// nodes wrote the same row, the later commit lost) this process has met.
// Each one rolled back its whole transaction, which was retried or failed.
int64_t ConflictCount();

// The pause before running a transaction again after a conflict: a few
// milliseconds, longer each run, jittered so that two losers spread out.
std::chrono::milliseconds ConflictBackoff(int run);

// True when e says the session is unusable (the server went away, the
// connection was lost or never made).
bool IsConnectionFailure(const std::exception& e);

// The MySQL error number in e (1142: command denied ...), 0 when e is not
// a MySQL error.
unsigned ServerErrorCode(const std::exception& e);

// The server's own message in e ("UPDATE command denied to user ..."),
// without SOCI's context, which quotes the statement.
std::string ServerMessage(const std::exception& e);

// Runs fn(session) and returns its Result, turning exceptions into
// errors. Deadlocks (on Galera also certification conflicts, which surface
// at COMMIT or at the next statement, the transaction already rolled
// back), lock-wait timeouts and a connection found dead are retried (up to
// max_runs runs in all), so fn must be safe to run again from the start: it
// does all its writes in one transaction, including the COMMIT. Pass
// max_runs = 1 for a step of a transaction that spans several calls (its
// caller retries the whole transaction).
template <typename F>
auto Guarded(Connection& conn, F&& fn, int max_runs = 4)
    -> decltype(fn(std::declval<soci::session&>())) {
  for (int run = 1;; ++run) {
    auto session = conn.Get();
    if (!session.ok()) return session.error();
    try {
      return fn(*session.value());
    } catch (const std::exception& e) {
      DbFailure failure = ClassifyDbError(e);
      if (failure.connection_lost) conn.Reset();
      if (!failure.retryable || run >= max_runs) return failure.error;
      if (failure.conflict) std::this_thread::sleep_for(ConflictBackoff(run));
    }
  }
}

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_CONNECTION_H_
