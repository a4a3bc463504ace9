// The JSON report of a reconcile run (--report FILE): items streamed as
// they are found, counts per class at the end; and the counts for the
// summary line.
#ifndef SCIM_DAEMON_RECONCILE_REPORT_H_
#define SCIM_DAEMON_RECONCILE_REPORT_H_

#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "common/scim/clock.h"
#include "common/scim/json.h"
#include "common/util/system.h"
#include "daemon/reconcile.h"

namespace scim::sync {

class Report {
 public:
  Report(const std::string& path, bool dry_run) : wanted_(!path.empty()) {
    if (!wanted_) return;
    out_.open(path);
    util::SystemClock clock;
    out_ << R"({"started":")" << FormatTimestamp(clock.NowMillis()) << R"(","dry_run":)"
         << (dry_run ? "true" : "false") << R"(,"items":[)";
  }
  // False when a report was asked for and could not be written (also when
  // the file could not be opened at all).
  bool ok() const { return !wanted_ || (out_.is_open() && out_.good()); }

  void Item(std::string_view kind, DriftClass c, const std::string& id, const std::string& name,
            const std::string& detail, bool fixed) {
    ++counts_[std::string(kind) + "." + std::string(DriftClassName(c))];
    if (fixed) ++counts_[std::string(kind) + ".fixed"];
    if (!out_.is_open() || c == DriftClass::kInSync) return;
    Json item = Json::MakeObject();
    item.Set("type", kind);
    item.Set("class", DriftClassName(c));
    item.Set("id", id);
    item.Set("name", name);
    if (!detail.empty()) item.Set("detail", detail);
    item.Set("fixed", fixed);
    out_ << (first_ ? "" : ",") << ToJson(item);
    first_ = false;
  }

  const std::map<std::string, long long>& counts() const { return counts_; }

  void Finish(double seconds, int errors) {
    if (!out_.is_open()) return;
    Json c = Json::MakeObject();
    for (const auto& [k, v] : counts_) c.Set(k, static_cast<int64_t>(v));
    util::SystemClock clock;
    out_ << R"(],"counts":)" << ToJson(c) << R"(,"errors":)" << errors << R"(,"seconds":)"
         << seconds << R"(,"finished":")" << FormatTimestamp(clock.NowMillis()) << "\"}\n";
  }

 private:
  bool wanted_;
  std::ofstream out_;
  bool first_ = true;
  std::map<std::string, long long> counts_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_RECONCILE_REPORT_H_
