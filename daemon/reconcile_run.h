// `scim-syncd reconcile`: the cron job that compares every SCIM user and
// group with the directory, in pages of the view's key order (memory stays
// flat however large the directory), and fixes what drifted.
#ifndef SCIM_DAEMON_RECONCILE_RUN_H_
#define SCIM_DAEMON_RECONCILE_RUN_H_

#include <string>

#include "common/config/config.h"

namespace scim::sync {

struct ReconcileOptions {
  bool dry_run = false;     // report only; change nothing
  std::string report_path;  // "" for none; else the JSON report is written here
  int page_size = 1000;
};

// Exit codes: 0 clean or fixed (or a dry run that ran), 1 errors,
// 3 another reconcile holds the reconcile lease (common/db/leases).
inline constexpr int kReconcileLockHeld = 3;

// Runs one reconcile and prints the summary on stdout.
int RunReconcile(const config::Config& config, const ReconcileOptions& options);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_RECONCILE_RUN_H_
