// scim-syncd's part in adoption (DESIGN §5a, common/db/adoption.h): while
// idle, it makes the application's new users visible to SCIM without a
// lookup, so GET /Users lists them. Once a second it reads the table's
// newest key (one index probe) and adopts the rows after the one it saw
// last; at start and every ten minutes it sweeps the whole table (rows
// with keys that do not grow, unprotected accounts). A step adopts at most
// 5,000 rows, so queued changes never wait long behind it; the next step
// goes on where it stopped.
#ifndef SCIM_DAEMON_ADOPTION_TICK_H_
#define SCIM_DAEMON_ADOPTION_TICK_H_

#include <chrono>
#include <optional>
#include <string>

#include "common/db/adoption.h"

namespace scim::sync {

class AdoptionTick {
 public:
  explicit AdoptionTick(db::Connection& conn, const db::Adopter& adopter)
      : conn_(conn), adopter_(adopter) {}
  // Does what is due now; errors are logged (the next tick tries again).
  void Run();

 private:
  db::Connection& conn_;
  const db::Adopter& adopter_;
  std::chrono::steady_clock::time_point next_check_{}, next_full_{};
  std::optional<std::string> newest_;  // the newest key when the table was last swept
  std::optional<std::string> resume_;  // where a sweep that stopped at its step goes on
  bool resume_full_ = false;           // and whether it is a full one
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_ADOPTION_TICK_H_
