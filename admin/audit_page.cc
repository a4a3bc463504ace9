// The Audit log page: newest first, paged, filtered by user, actor,
// operation, outcome and time range; the same rows as CSV and JSON.
#include "admin/pages.h"
#include "common/scim/json.h"
#include "common/scim/text.h"

namespace scim::admin {
namespace {

constexpr const char* kFields[] = {"user", "actor", "operation", "outcome", "since", "until"};
constexpr long long kExportLimit = 100000;

// A time field: RFC 3339, or a date (its first instant, UTC). 0 when empty.
std::optional<int64_t> TimeField(const std::string& text) {
  if (text.empty()) return 0;
  return ParseDateOrTime(text);
}

std::string CsvCell(const std::string& v) {
  std::string cell =
      (!v.empty() && std::string_view("=+-@").find(v[0]) != std::string_view::npos) ? "'" + v : v;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The query string of q's filters, plus page (for links).
std::string Link(const std::string& target, const AuditQuery& q, long long page) {
  std::string out = target + "?";
  for (const auto& [k, v] : q.echo) {
    if (v.empty()) continue;
    out += k + "=" + UrlEncode(v) + "&";
  }
  if (page > 0) out += "page=" + std::to_string(page) + "&";
  out.pop_back();
  return out;
}

std::string FilterForm(const AuditQuery& q) {
  const char* labels[] = {"User (userName)",
                          "Actor (token name or admin)",
                          "Operation (create, patch, token create …)",
                          "Outcome (ok, done, refused …)",
                          "From (2026-11-30 or RFC 3339)",
                          "Until"};
  std::string out = "<form method=\"get\" action=\"audit\" id=\"audit-filter\">";
  for (size_t i = 0; i < std::size(kFields); ++i) {
    auto it = q.echo.find(kFields[i]);
    out += TextInput(std::string("filter-") + kFields[i], kFields[i], labels[i],
                     it == q.echo.end() ? "" : it->second);
  }
  return out +
         "<button type=\"submit\" id=\"audit-apply\">Filter</button> <a "
         "id=\"audit-clear\" href=\"audit\">Clear</a></form>";
}

std::string Row(const db::AuditEntry& e) {
  const db::AuditRow& r = e.row;
  std::string resource = r.resource_type + (r.resource_id.empty() ? "" : "/" + r.resource_id);
  return "<tr><td class=\"mono\">" + Escape(e.at) + "</td><td>" + Escape(r.actor) + "</td><td>" +
         Escape(r.operation) + "</td><td>" + Escape(r.outcome) + "</td><td class=\"audit-user\">" +
         Escape(r.user_name) + "</td><td class=\"mono\">" + Escape(resource) +
         "</td><td><code class=\"audit-changes\">" + Escape(r.changes) +
         "</code></td><td class=\"audit-detail\">" + Escape(r.detail) + "</td><td class=\"mono\">" +
         Escape(r.request_id) + "</td></tr>";
}

Result<std::vector<db::AuditEntry>> Read(const Call& call, const AuditQuery& q, long long limit,
                                         long long offset) {
  return db::Guarded(call.console.conn,
                     [&](soci::session& sql) -> Result<std::vector<db::AuditEntry>> {
                       return db::ReadAuditNewestFirst(sql, q.filter, limit, offset);
                     });
}

cgi::HttpResponse Export(const Call& call, const char* type, const char* file,
                         std::string (*render)(const std::vector<db::AuditEntry>&)) {
  AuditQuery q = ParseAuditQuery(call.req.query);
  if (!q.error.empty()) return PlainPage(400, "Bad filter", q.error);
  auto rows = Read(call, q, kExportLimit, 0);
  if (!rows.ok()) return Failed(call, rows.error());
  cgi::HttpResponse r;
  r.headers.emplace_back("Content-Type", type);
  r.headers.emplace_back("Content-Disposition",
                         std::string("attachment; filename=\"") + file + "\"");
  r.body = render(rows.value());
  return r;
}

}  // namespace

AuditQuery ParseAuditQuery(const std::multimap<std::string, std::string>& query) {
  AuditQuery q;
  for (const char* f : kFields) {
    auto it = query.find(f);
    q.echo[f] = it == query.end() ? "" : std::string(Trim(it->second));
  }
  q.filter.user_name = q.echo["user"];
  q.filter.actor = q.echo["actor"];
  q.filter.operation = q.echo["operation"];
  q.filter.outcome = q.echo["outcome"];
  auto since = TimeField(q.echo["since"]), until = TimeField(q.echo["until"]);
  if (!since || !until) {
    q.error = "From and Until take a date (2026-11-30) or an RFC 3339 time (2026-11-30T10:00:00Z).";
  } else {
    q.filter.since_ms = *since;
    q.filter.until_ms = *until;
  }
  auto page = query.find("page");
  if (page != query.end()) q.page = std::max(0LL, std::atoll(page->second.c_str()));
  return q;
}

std::string AuditCsv(const std::vector<db::AuditEntry>& entries) {
  std::string out;
  for (const auto& [name, value] : db::AuditColumns(db::AuditEntry{})) {
    out += std::string(name) + ",";
  }
  out.back() = '\n';
  for (const auto& e : entries) {
    std::string line;
    for (const auto& [name, value] : db::AuditColumns(e)) line += CsvCell(*value) + ",";
    line.back() = '\n';
    out += line;
  }
  return out;
}

std::string AuditJson(const std::vector<db::AuditEntry>& entries) {
  Json list = Json::MakeArray();
  for (const auto& e : entries) {
    Json o = Json::MakeObject();
    for (const auto& [name, value] : db::AuditColumns(e)) {
      if (!value->empty()) o.Set(name, *value);
    }
    list.as_array().push_back(std::move(o));
  }
  return ToJson(list) + "\n";
}

std::string RenderAudit(const AuditQuery& q, const std::vector<db::AuditEntry>& entries,
                        bool more) {
  std::string out = FilterForm(q) + "<p><a id=\"audit-csv\" href=\"" +
                    Escape(Link("audit.csv", q, 0)) +
                    "\">Export CSV</a> · <a id=\"audit-json\" "
                    "href=\"" +
                    Escape(Link("audit.json", q, 0)) + "\">Export JSON</a></p>";
  out +=
      "<table id=\"audit\"><thead><tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">"
      "Actor</th><th scope=\"col\">Operation</th><th scope=\"col\">Outcome</th><th "
      "scope=\"col\">User</th><th scope=\"col\">Resource</th><th scope=\"col\">What "
      "changed</th><th scope=\"col\">Detail</th><th scope=\"col\">Request</th></tr></thead>"
      "<tbody>";
  for (const auto& e : entries) out += Row(e);
  if (entries.empty()) out += "<tr><td colspan=\"9\">No entries match.</td></tr>";
  out += "</tbody></table><p class=\"pager\">";
  if (q.page > 0) {
    out +=
        "<a id=\"audit-newer\" href=\"" + Escape(Link("audit", q, q.page - 1)) + "\">← Newer</a> ";
  }
  out += "<span id=\"audit-page\">Page " + std::to_string(q.page + 1) + "</span>";
  if (more) {
    out +=
        " <a id=\"audit-older\" href=\"" + Escape(Link("audit", q, q.page + 1)) + "\">Older →</a>";
  }
  return out + "</p>";
}

cgi::HttpResponse GetAudit(const Call& call, const Form&) {
  AuditQuery q = ParseAuditQuery(call.req.query);
  if (!q.error.empty()) {
    return ShowPage(call, {"Audit log", "audit", "", "", q.error, RenderAudit(q, {}, false)}, 400);
  }
  auto rows = Read(call, q, kAuditPageSize + 1, q.page * kAuditPageSize);
  if (!rows.ok()) return Failed(call, rows.error());
  std::vector<db::AuditEntry> entries = std::move(rows).value();
  bool more = entries.size() > static_cast<size_t>(kAuditPageSize);
  if (more) entries.pop_back();
  return ShowPage(call, {"Audit log", "audit", "", "", "", RenderAudit(q, entries, more)});
}

cgi::HttpResponse GetAuditCsv(const Call& call, const Form&) {
  return Export(call, "text/csv; charset=utf-8", "scimsync-audit.csv", AuditCsv);
}

cgi::HttpResponse GetAuditJson(const Call& call, const Form&) {
  return Export(call, "application/json", "scimsync-audit.json", AuditJson);
}

}  // namespace scim::admin
