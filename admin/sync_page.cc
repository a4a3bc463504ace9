// The Sync page: the change queue by status, the oldest pending age, the
// daemons last seen, and the dead letters with retry and drop.
#include "admin/pages.h"
#include "common/db/daemon_heartbeats.h"

namespace scim::admin {
namespace {

constexpr long long kDeadShown = 200;

std::string Age(int64_t ms) {
  if (ms < 0) return "never";
  int64_t s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s ago";
  if (s < 7200) return std::to_string(s / 60) + " min ago";
  return std::to_string(s / 3600) + " h ago";
}

std::string Count(const char* id, const char* label, long long n) {
  return std::string("<dt>") + label + "</dt><dd id=\"" + id + "\">" + std::to_string(n) + "</dd>";
}

std::string Daemons(const std::vector<ops::DaemonSeen>& daemons) {
  std::string out =
      "<table id=\"daemons\"><thead><tr><th scope=\"col\">Host</th><th scope=\"col\">PID</th><th "
      "scope=\"col\">Mode</th><th scope=\"col\">Last seen</th><th scope=\"col\">Last batch</th>"
      "<th scope=\"col\">Applied</th><th scope=\"col\">Failed</th><th scope=\"col\">State</th>"
      "</tr></thead><tbody>";
  for (const auto& d : daemons) {
    out += "<tr><td>" + Escape(d.host) + "</td><td>" + std::to_string(d.pid) + "</td><td>" +
           Escape(d.mode) + "</td><td>" + Age(d.seen_ms_ago) + "</td><td>" +
           Age(d.last_batch_ms_ago) + "</td><td>" + std::to_string(d.rows_applied) + "</td><td>" +
           std::to_string(d.rows_failed) + "</td><td>" + (d.stopped ? "stopped" : "running") +
           "</td></tr>";
  }
  if (daemons.empty()) out += "<tr><td colspan=\"8\">No daemon has reported yet.</td></tr>";
  return out + "</tbody></table>";
}

std::string DeadRows(const std::vector<db::ListedChange>& dead, const std::string& csrf) {
  std::string out =
      "<table id=\"dead-letters\"><thead><tr><th scope=\"col\">Row</th><th scope=\"col\">"
      "Resource</th><th scope=\"col\">Version</th><th scope=\"col\">Attempts</th><th "
      "scope=\"col\">Queued</th><th scope=\"col\">Last error</th><th scope=\"col\"><span "
      "class=\"muted\">Action</span></th></tr></thead><tbody>";
  for (const auto& c : dead) {
    std::string id = std::to_string(c.id);
    std::string hidden = "<input type=\"hidden\" name=\"id\" value=\"" + id + "\">";
    out += "<tr id=\"dead-" + id + "\"><td>" + id + "</td><td class=\"mono\">" +
           Escape(c.resource_type + "/" + c.resource_id) + "</td><td>" + std::to_string(c.version) +
           "</td><td>" + std::to_string(c.attempts) + "</td><td>" + Escape(c.created) +
           "</td><td><code>" + Escape(c.last_error) + "</code></td><td>" +
           PostForm("queue-retry", "retry-form-" + id, csrf,
                    hidden + "<button type=\"submit\" id=\"retry-" + id + "\">Retry</button>") +
           "<a id=\"drop-" + id + "\" href=\"queue-drop?id=" + id + "\">Drop…</a>" + "</td></tr>";
  }
  if (dead.empty()) out += "<tr><td colspan=\"7\">No dead letters.</td></tr>";
  return out + "</tbody></table>";
}

}  // namespace

std::string RenderSync(const db::QueueCounts& c, const std::vector<ops::DaemonSeen>& daemons,
                       const std::vector<db::ListedChange>& dead, const std::string& csrf) {
  std::string oldest = c.oldest_pending_ms ? Age(*c.oldest_pending_ms) : "nothing pending";
  std::string out =
      "<section aria-labelledby=\"h-queue\"><h2 id=\"h-queue\">Change queue</h2>"
      "<dl class=\"counts\" id=\"queue-counts\">" +
      Count("count-pending", "Pending", c.pending) +
      Count("count-in-flight", "In flight", c.in_flight) +
      Count("count-retrying", "Retrying", c.retrying) + Count("count-dead", "Dead", c.dead) +
      "<dt>Oldest pending</dt><dd id=\"oldest-pending\">" + oldest + "</dd></dl></section>";
  out += "<section aria-labelledby=\"h-daemons\"><h2 id=\"h-daemons\">Sync daemons</h2>" +
         Daemons(daemons) + "</section>";
  out +=
      "<section aria-labelledby=\"h-dead\"><h2 id=\"h-dead\">Dead letters</h2><p>Changes that "
      "failed every attempt. Retry queues them again with a fresh budget; drop deletes them "
      "(the directory then misses that change until the next reconcile).</p>" +
      DeadRows(dead, csrf);
  if (!dead.empty()) {
    out += PostForm("queue-retry", "retry-all-form", csrf,
                    "<input type=\"hidden\" name=\"all\" value=\"1\"><button type=\"submit\" "
                    "id=\"retry-all\">Retry all dead rows</button>");
  }
  return out + "</section>";
}

cgi::HttpResponse GetSync(const Call& call, const Form&) {
  db::QueueCounts counts;
  std::vector<ops::DaemonSeen> daemons;
  std::vector<db::ListedChange> dead;
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<void> {
    counts = db::ReadQueueCounts(sql);
    daemons = db::ReadHeartbeats(sql);
    dead = db::ListChanges(sql, true, kDeadShown);
    return {};
  });
  if (!r.ok()) return Failed(call, r.error());
  return ShowPage(call, {"Sync", "sync", "", "", "", RenderSync(counts, daemons, dead, call.csrf)});
}

cgi::HttpResponse PostQueueRetry(const Call& call, const Form& form) {
  bool all = form.Get("all") == "1";
  long long id = std::atoll(form.Get("id").c_str());
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    long long n = db::RetryDeadChanges(sql, all, id);
    db::InsertAdminAudit(sql, call.user, "queue retry",
                         all ? "all dead rows: " + std::to_string(n) : "row " + std::to_string(id));
    tr.commit();
    return n;
  });
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("sync", r.value() > 0 ? "queue-retried" : "");
}

// The confirmation step before a dead row is dropped (it cannot be undone).
cgi::HttpResponse GetQueueDrop(const Call& call, const Form&) {
  auto it = call.req.query.find("id");
  long long id = it == call.req.query.end() ? 0 : std::atoll(it->second.c_str());
  std::vector<db::ListedChange> dead;
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<void> {
    dead = db::ListChanges(sql, true, kDeadShown);
    return {};
  });
  if (!r.ok()) return Failed(call, r.error());
  for (const auto& c : dead) {
    if (c.id != id) continue;
    std::string body =
        "<p>Drop the dead change <strong id=\"drop-what\">" +
        Escape(c.resource_type + "/" + c.resource_id) + " version " + std::to_string(c.version) +
        "</strong>? The directory then misses it until the next reconcile; this cannot be "
        "undone.</p>" +
        ConfirmForm("queue-drop", call.csrf, id, "Drop it", "sync");
    return ShowPage(call, {"Drop a dead change", "sync", "", "", "", body});
  }
  return ShowPage(call,
                  {"Drop a dead change", "sync", "", "", "There is no dead change with that id.",
                   "<p><a href=\"sync\">Back to sync</a></p>"},
                  404);
}

cgi::HttpResponse PostQueueDrop(const Call& call, const Form& form) {
  long long id = std::atoll(form.Get("id").c_str());
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    std::optional<std::string> what = db::DropDeadChange(sql, id);
    if (!what) return false;
    db::InsertAdminAudit(sql, call.user, "queue drop",
                         "row " + std::to_string(id) + " (" + *what + ")");
    tr.commit();
    return true;
  });
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("sync", r.value() ? "queue-dropped" : "");
}

}  // namespace scim::admin
