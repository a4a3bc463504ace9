#include "common/ops/liveness.h"

namespace scim::ops {
namespace {

bool Drains(const DaemonSeen& d) { return d.mode != "reconcile"; }

std::string Seconds(int64_t ms) { return std::to_string(ms / 1000) + " s"; }

}  // namespace

DaemonState StateOf(const DaemonSeen& d, int64_t window_ms) {
  if (d.stopped) return DaemonState::kStopped;
  return d.seen_ms_ago <= window_ms ? DaemonState::kRunning : DaemonState::kSilent;
}

std::string_view DaemonStateName(DaemonState s) {
  switch (s) {
    case DaemonState::kRunning:
      return "running";
    case DaemonState::kStopped:
      return "stopped";
    case DaemonState::kSilent:
      return "silent";
  }
  return "silent";
}

Liveness AssessLiveness(std::optional<int64_t> oldest_pending_ms,
                        const std::vector<DaemonSeen>& daemons, int64_t window_ms) {
  if (!oldest_pending_ms || *oldest_pending_ms <= window_ms) return {};
  std::optional<int64_t> last_seen;
  for (const auto& d : daemons) {
    if (!Drains(d)) continue;
    if (d.seen_ms_ago <= window_ms) return {};
    if (!last_seen || d.seen_ms_ago < *last_seen) last_seen = d.seen_ms_ago;
  }
  std::string warning = "the oldest pending change has waited " + Seconds(*oldest_pending_ms) +
                        " and no scim-syncd has been seen for " + Seconds(window_ms) +
                        (last_seen ? " (the last one " + Seconds(*last_seen) + " ago)"
                                   : " (none has ever reported)") +
                        ": changes are not reaching the directory; start scim-syncd "
                        "or check its log";
  return {true, warning};
}

}  // namespace scim::ops
