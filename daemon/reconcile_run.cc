#include "daemon/reconcile_run.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "common/db/adoption.h"
#include "common/db/connection.h"
#include "common/db/leases.h"
#include "common/db/settings_store.h"
#include "common/scim/clock.h"
#include "common/scim/user.h"
#include "common/util/system.h"
#include "daemon/heartbeat.h"
#include "daemon/reconcile.h"
#include "daemon/reconcile_report.h"
#include "daemon/sql_directory.h"

namespace scim::sync {
namespace {

// The lease `reconcile` (common/db/leases): one reconcile at a time over
// all hosts and database nodes. Renewed as the pages go by, released at
// the end; a run that died frees it after kTtl.
class ReconcileLease {
 public:
  static constexpr std::chrono::seconds kTtl{120};
  static constexpr std::chrono::seconds kRenewEvery{15};

  explicit ReconcileLease(db::Connection& conn) : conn_(conn), holder_(db::LeaseHolder()) {}
  ~ReconcileLease() {
    if (held_) (void)db::ReleaseLease(conn_, "reconcile", holder_);
  }
  ReconcileLease(const ReconcileLease&) = delete;
  ReconcileLease& operator=(const ReconcileLease&) = delete;

  Result<bool> Acquire(std::string* current) {
    auto got = db::AcquireLease(conn_, "reconcile", holder_, kTtl, current);
    if (got.ok() && got.value()) {
      held_ = true;
      renewed_ = std::chrono::steady_clock::now();
    }
    return got;
  }

  // Renews the lease when due. An error when it was lost: another reconcile
  // took it over after it expired, so this one must stop.
  Result<void> Keep() {
    if (std::chrono::steady_clock::now() - renewed_ < kRenewEvery) return {};
    auto kept = db::RenewLease(conn_, "reconcile", holder_, kTtl);
    if (!kept.ok()) return kept.error();
    if (!kept.value()) {
      held_ = false;
      return Unavailable("the reconcile lease expired and another reconcile took it; stopping");
    }
    renewed_ = std::chrono::steady_clock::now();
    return {};
  }

 private:
  db::Connection& conn_;
  std::string holder_;
  bool held_ = false;
  std::chrono::steady_clock::time_point renewed_;
};

struct Run {
  db::Connection& conn;
  SqlDirectory& directory;
  SqlRecorder& recorder;
  const Settings& settings;
  const ReconcileOptions& options;
  Report& report;
  Heartbeat& heartbeat;
  ReconcileLease& lease;
  db::Adopter adopter;
  std::optional<std::string> orphan_after;  // OrphanPage's cursor: the last key seen
  int errors = 0;
};

Result<void> Fix(Run& run, const UserVerdict& v) {
  const UserPlan& p = v.plan;
  auto current = run.directory.FindUser(p.next.scim_id, p.next.user_name);
  if (!current.ok()) return current.error();
  if (p.write) {
    if (auto r = run.directory.SaveUser(p.next, current.value()); !r.ok()) return r;
  }
  if (p.conflict == ConflictStep::kOpen) {
    if (auto r = run.recorder.OpenConflict({p.next.scim_id, p.next.user_name, true, false,
                                            p.next.local_by, p.next.local_reason,
                                            p.next.local_since, run.settings.conflict_policy});
        !r.ok()) {
      return r.error();
    }
  } else if (p.conflict == ConflictStep::kResolve) {
    if (auto r = run.recorder.ResolveConflict(p.next.scim_id, p.resolution); !r.ok()) {
      return r.error();
    }
  }
  for (AuditEntry entry : p.audit) {  // role decisions, local changes seen, adoptions
    entry.actor = "scim-syncd reconcile";
    if (auto r = run.recorder.Audit(entry); !r.ok()) return r;
  }
  AuditEntry e{"scim-syncd reconcile",
               "User",
               p.next.scim_id,
               p.next.user_name,
               "reconcile",
               "",
               std::string(DriftClassName(v.drift)),
               v.detail};
  return run.recorder.Audit(e);
}

// A SCIM user of a page, with its directory row (by SCIM id) if any.
struct UserRow {
  long long seq;
  std::string id;
  long long version;
  std::string attributes;
  std::optional<DirectoryUser> dir;
};

struct PageItem {
  DriftClass drift;
  std::string id, name, detail;
  bool fixed;
};

struct PageResult {
  std::vector<PageItem> items;
  int errors = 0;
};

// Classifies the page's users and, unless a dry run, fixes them. The
// directory reads the accounts they may take over at once and writes its
// changes together at the end (SqlDirectory's batch); an error there is
// the caller's to undo.
Result<PageResult> ProcessUsers(Run& run, const std::vector<UserRow>& rows, bool batched) {
  PageResult out;
  std::vector<std::optional<Json>> parsed;
  std::vector<UserKey> keys;
  for (const auto& row : rows) {
    auto attributes = ParseJson(row.attributes);
    parsed.push_back(attributes.ok() ? std::optional<Json>(std::move(attributes).value())
                                     : std::nullopt);
    // Users missing by SCIM id are looked up by userName (a takeover).
    if (parsed.back() && !row.dir) keys.push_back({"", ColumnsOf(*parsed.back()).user_name});
  }
  if (batched) {
    if (auto r = run.directory.Prefetch(keys); !r.ok()) return r.error();
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const UserRow& row = rows[i];
    if (!parsed[i]) {
      ++out.errors;
      continue;
    }
    std::optional<DirectoryUser> dir = row.dir;
    if (!dir) {  // perhaps an account to take over by userName
      auto found = run.directory.FindUser("", ColumnsOf(*parsed[i]).user_name);
      if (!found.ok()) {
        if (batched) return found.error();
        ++out.errors;
        util::Log("error", "reconcile", "user " + row.id + ": " + found.error().detail);
        continue;
      }
      dir = found.value();
    }
    UserVerdict v =
        ClassifyUser(row.id, row.version, *parsed[i], dir, run.settings, run.directory.fields());
    bool fix = v.drift != DriftClass::kInSync && !run.options.dry_run;
    if (fix) {
      if (auto r = Fix(run, v); !r.ok()) {
        if (batched) return r.error();
        ++out.errors;
        util::Log("error", "reconcile", "user " + row.id + ": " + r.error().detail);
        fix = false;
      }
    }
    out.items.push_back({v.drift, row.id, v.plan.next.user_name, v.detail, fix});
  }
  if (batched) {
    if (auto r = run.directory.Flush(); !r.ok()) return r.error();
  }
  return out;
}

// One page of SCIM users (seq > *last) with their directory rows, in one
// transaction: in one go, or, when that fails, again user by user.
Result<size_t> UserPage(Run& run, long long* last) {
  std::vector<UserRow> rows;
  const db::AppUsers& users = run.directory.users();
  std::string key = config::QuoteIdentifier(users.mapping().key);
  auto read = db::Guarded(run.conn, [&](soci::session& sql) -> Result<void> {
    long long limit = run.options.page_size;
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT s.seq, s.id, s.version, s.attributes, a." + key + " IS NOT NULL, " +
                            users.UserColumns() +
                            " FROM scim_users s LEFT JOIN directory_links l ON l.scim_id = s.id "
                            "LEFT JOIN " +
                            users.Table() + " a ON a." + key +
                            " = l.app_key LEFT JOIN directory_protected p ON p.app_key = "
                            "l.app_key WHERE s.seq > :last ORDER BY s.seq LIMIT :n",
         soci::use(*last), soci::use(limit));
    for (const auto& r : rs) {
      UserRow row{static_cast<long long>(r.get<unsigned long long>(0)), r.get<std::string>(1),
                  r.get<long long>(2), r.get<std::string>(3), std::nullopt};
      if (r.get<int>(4)) row.dir = users.FromRow(r, 5);
      rows.push_back(std::move(row));
    }
    return {};
  });
  if (!read.ok()) return read.error();
  if (rows.empty()) return size_t{0};
  *last = rows.back().seq;
  auto session = run.conn.Get();
  if (!session.ok()) return session.error();
  bool tx = !run.options.dry_run;
  if (tx) session.value()->begin();
  auto done = ProcessUsers(run, rows, true);
  if (!done.ok()) {
    util::Log("info", "reconcile", "event=page_one_by_one because=\"" + done.error().detail + "\"");
    run.directory.Discard();
    if (tx) {
      session.value()->rollback();
      session.value()->begin();
    }
    done = ProcessUsers(run, rows, false);
    if (!done.ok()) {
      if (tx) session.value()->rollback();
      return done.error();
    }
  }
  if (tx) session.value()->commit();
  run.errors += done.value().errors;
  for (const auto& item : done.value().items) {
    run.report.Item("user", item.drift, item.id, item.name, item.detail, item.fixed);
  }
  return rows.size();
}

// The report item of an orphan row (adopted: its SCIM id is in adopted),
// its fix written first when it has one.
void OrphanItem(Run& run, const DirectoryUser& user, const OrphanVerdict& v,
                const std::map<std::string, std::string>& adopted, bool adopt_failed) {
  bool fix = (v.fix || v.adopt) && !run.options.dry_run;
  std::string detail = v.adopt ? "not visible to SCIM yet: adopted"
                       : v.fix ? "deleted in SCIM but still active"
                               : "";
  std::string id = user.scim_id;
  if (fix && v.adopt) {
    auto it = adopted.find(user.key);
    fix = it != adopted.end();
    if (fix) id = it->second;
    if (!fix && adopt_failed) ++run.errors;
    if (!fix && !adopt_failed) detail = "not adopted: a SCIM user has its userName";
  } else if (fix) {
    auto r = run.directory.SaveUser(*v.fix, user);
    if (!r.ok()) {
      ++run.errors;
      fix = false;
    }
  }
  run.report.Item("directory_user", v.drift, id, user.user_name, detail, fix);
}

// One page of the application's rows no SCIM user is linked to: never
// seen (adopted: made visible to SCIM), protected, or retired (their SCIM
// user was deleted). Paged by the table's key (run.orphan_after).
Result<size_t> OrphanPage(Run& run, long long* /*last*/) {
  const db::AppUsers& users = run.directory.users();
  std::string key = "a." + config::QuoteIdentifier(users.mapping().key);
  std::vector<DirectoryUser> rows;
  auto read = db::Guarded(run.conn, [&](soci::session& sql) -> Result<void> {
    long long limit = run.options.page_size;
    std::string text =
        users.SelectFrom() + " LEFT JOIN scim_users s ON s.id = l.scim_id WHERE s.id IS NULL" +
        (run.orphan_after ? " AND " + key + " > :last" : "") + " ORDER BY " + key + " LIMIT :n";
    soci::rowset<soci::row> rs =
        run.orphan_after ? (sql.prepare << text, soci::use(*run.orphan_after), soci::use(limit))
                         : (sql.prepare << text, soci::use(limit));
    for (const auto& r : rs) rows.push_back(users.FromRow(r, 0));
    return {};
  });
  if (!read.ok()) return read.error();
  std::vector<OrphanVerdict> verdicts;
  std::vector<std::string> to_adopt;
  for (const auto& user : rows) {
    verdicts.push_back(ClassifyOrphan(user, run.settings));
    if (verdicts.back().adopt && !run.options.dry_run) to_adopt.push_back(user.key);
  }
  // The page's never-seen rows are adopted together (a few statements per
  // 500 rows); each still gets its own report item.
  std::map<std::string, std::string> adopted;
  bool adopt_failed = !db::AdoptKeys(run.conn, run.adopter, to_adopt, &adopted).ok();
  for (size_t i = 0; i < rows.size(); ++i) {
    run.orphan_after = rows[i].key;
    OrphanItem(run, rows[i], verdicts[i], adopted, adopt_failed);
  }
  return rows.size();
}

// Groups: missing, renamed or with other members in the directory.
Result<size_t> GroupPage(Run& run, long long* last) {
  struct Row {
    long long seq;
    std::string id, name;
    long long version;
    int present;
    std::string dir_name, key;
    long long missing, extra;
  };
  if (!run.directory.groups()) return size_t{0};  // directory.groups = none
  std::vector<Row> rows;
  auto read = db::Guarded(run.conn, [&](soci::session& sql) -> Result<void> {
    long long limit = run.options.page_size;
    soci::rowset<soci::row> rs = (sql.prepare << run.directory.app_groups().ReconcilePage(),
                                  soci::use(*last), soci::use(limit));
    for (const auto& r : rs) {
      rows.push_back({static_cast<long long>(r.get<unsigned long long>(0)), r.get<std::string>(1),
                      r.get<std::string>(2), r.get<long long>(3), r.get<int>(4),
                      r.get<std::string>(5), r.get<std::string>(6), r.get<long long>(7),
                      r.get<long long>(8)});
    }
    return {};
  });
  if (!read.ok()) return read.error();
  for (const auto& g : rows) {
    *last = g.seq;
    DriftClass c = !g.present                                       ? DriftClass::kMissing
                   : (g.dir_name != g.name || g.missing || g.extra) ? DriftClass::kDrifted
                                                                    : DriftClass::kInSync;
    std::string detail;
    if (c == DriftClass::kDrifted) {
      detail = std::to_string(g.missing) + " member(s) missing, " + std::to_string(g.extra) +
               " extra" + (g.dir_name != g.name ? ", renamed" : "");
    }
    bool fix = c != DriftClass::kInSync && !run.options.dry_run;
    if (fix) {
      auto s = run.directory.SaveGroup({g.id, g.name, g.version, g.present ? g.key : ""});
      auto m = s.ok() ? run.directory.SyncGroupMembers(g.id, nullptr) : s;
      if (!m.ok()) {
        ++run.errors;
        fix = false;
      }
    }
    run.report.Item("group", c, g.id, g.name, detail, fix);
  }
  return rows.size();
}

template <typename F>
Result<void> Pages(Run& run, F page) {
  long long last = 0;
  for (;;) {
    run.heartbeat.Tick();
    if (auto kept = run.lease.Keep(); !kept.ok()) return kept.error();
    auto n = page(run, &last);
    if (!n.ok()) return n.error();
    if (n.value() < static_cast<size_t>(run.options.page_size)) return {};
  }
}

void PrintSummary(const Report& report, bool dry_run, double seconds, int errors) {
  std::cout << "reconcile" << (dry_run ? " (dry run: nothing changed)" : "") << ":";
  for (const auto& [k, v] : report.counts()) std::cout << " " << k << "=" << v;
  std::cout << " errors=" << errors << " seconds=" << seconds << "\n";
}

}  // namespace

int RunReconcile(const config::Config& config, const ReconcileOptions& options) {
  db::Connection conn(config.db);
  ReconcileLease lease(conn);
  std::string holder;
  auto locked = lease.Acquire(&holder);
  if (!locked.ok()) {
    std::cerr << "scim-syncd reconcile: " << locked.error().detail << "\n";
    return 1;
  }
  if (!locked.value()) {
    std::cerr << "scim-syncd reconcile: another reconcile is running (" << holder
              << " holds the reconcile lease); exiting without doing anything\n";
    return kReconcileLockHeld;
  }
  auto settings = db::Guarded(
      conn, [](soci::session& sql) -> Result<Settings> { return db::ReadSettings(sql); });
  if (!settings.ok()) return 1;
  auto start = std::chrono::steady_clock::now();
  SqlDirectory directory(conn, config.directory);
  SqlRecorder recorder(conn);
  util::SystemClock clock;
  util::RandomIdGenerator ids;
  Report report(options.report_path, options.dry_run);
  Heartbeat heartbeat(conn, "reconcile");
  Run run{conn,
          directory,
          recorder,
          settings.value(),
          options,
          report,
          heartbeat,
          lease,
          {directory.users(), clock, ids, "scim-syncd reconcile"},
          std::nullopt};
  for (auto step : {&UserPage, &OrphanPage, &GroupPage}) {
    if (auto r = Pages(run, step); !r.ok()) {
      std::cerr << "scim-syncd reconcile: " << r.error().detail << "\n";
      ++run.errors;
      break;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.Finish(seconds, run.errors);
  heartbeat.Stop();
  PrintSummary(report, options.dry_run, seconds, run.errors);
  if (!report.ok()) {
    std::cerr << "scim-syncd reconcile: cannot write " << options.report_path << "\n";
    return 1;
  }
  return run.errors == 0 ? 0 : 1;
}

}  // namespace scim::sync
