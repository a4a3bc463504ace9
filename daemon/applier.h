// Applies one decoded change: reads the directory's current state, asks
// policy.cc what to do, and writes the directory, conflicts and audit
// entries. Idempotent by version: a version not newer than the one the
// directory holds (for the same SCIM id) changes nothing.
#ifndef SCIM_DAEMON_APPLIER_H_
#define SCIM_DAEMON_APPLIER_H_

#include <optional>

#include "common/scim/change_payload.h"
#include "common/scim/error.h"
#include "common/sync/settings.h"
#include "daemon/target_directory.h"

namespace scim::sync {

enum class ApplyOutcome {
  kApplied,  // the directory now reflects the change
  kStale,    // the directory already holds this version or a newer one
};

// What the sync loop applies changes with.
class Applier {
 public:
  virtual ~Applier() = default;
  // Called once per batch, inside its transaction (settings are read here).
  virtual Result<void> BeginBatch() { return {}; }
  // The max_attempts setting, when the applier has one (else the config's).
  virtual std::optional<int> MaxAttempts() const { return std::nullopt; }
  virtual Result<ApplyOutcome> Apply(const Change& change) = 0;
  // A batch's fast path: the changes about to be applied, in order. The
  // applier may read what they touch at once and hold its writes until
  // Flush; Discard forgets them (the batch's writes were rolled back).
  virtual Result<void> Prepare(const std::vector<Change>& /*changes*/) { return {}; }
  virtual Result<void> Flush() { return {}; }
  virtual void Discard() {}
};

class DirectoryApplier : public Applier {
 public:
  DirectoryApplier(TargetDirectory& directory, SyncRecorder& recorder)
      : directory_(directory), recorder_(recorder) {}

  Result<void> BeginBatch() override;
  std::optional<int> MaxAttempts() const override { return settings_.max_attempts; }
  Result<ApplyOutcome> Apply(const Change& change) override;
  Result<void> Prepare(const std::vector<Change>& changes) override;
  Result<void> Flush() override { return directory_.Flush(); }
  void Discard() override { directory_.Discard(); }

  // For tests and reconcile: apply with these settings.
  void set_settings(const Settings& settings) { settings_ = settings; }

 private:
  Result<ApplyOutcome> ApplyUser(const Change& change);
  Result<ApplyOutcome> DeleteUser(const Change& change);
  Result<ApplyOutcome> ApplyGroup(const Change& change);

  TargetDirectory& directory_;
  SyncRecorder& recorder_;
  Settings settings_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_APPLIER_H_
