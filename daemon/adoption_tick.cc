#include "daemon/adoption_tick.h"

#include "common/util/system.h"

namespace scim::sync {
namespace {

constexpr long long kStep = 5000;
constexpr auto kCheckEvery = std::chrono::seconds(1);
constexpr auto kFullEvery = std::chrono::minutes(10);

}  // namespace

void AdoptionTick::Run() {
  auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return;
  next_check_ = now + kCheckEvery;
  auto newest = db::NewestKey(conn_, adopter_.users);
  if (!newest.ok()) return;  // logged by Guarded; tried again next tick
  bool full = resume_ ? resume_full_ : now >= next_full_;
  if (!resume_ && !full && newest_ == newest.value()) return;
  // A sweep that stopped at kStep goes on where it stopped: starting it
  // over would walk the rows it adopted again (quadratic in the table).
  std::optional<std::string> from = resume_ ? resume_ : full ? std::nullopt : newest_;
  std::string reached;
  auto adopted = db::AdoptSweep(conn_, adopter_, kStep, from, &reached);
  if (!adopted.ok()) {
    util::Log("error", "syncd", "event=adopt_failed detail=\"" + adopted.error().detail + "\"");
    return;
  }
  if (adopted.value() > 0) {
    util::Log("info", "syncd",
              "event=adopted users=" + std::to_string(adopted.value()) +
                  (full ? " sweep=full" : " sweep=new"));
  }
  if (adopted.value() >= kStep) {  // more to do: on from here at the next tick
    resume_ = reached;
    resume_full_ = full;
    return;
  }
  resume_.reset();
  newest_ = newest.value();
  if (full) next_full_ = now + kFullEvery;
}

}  // namespace scim::sync
