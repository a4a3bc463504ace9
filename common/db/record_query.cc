#include "common/db/record_query.h"

#include <deque>

#include "common/db/sync_rows.h"

namespace scim::db {
namespace {

const char* SqlOp(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    default:
      return nullptr;
  }
}

// co "x" -> %x%, sw -> x%, ew -> %x, with LIKE's own characters escaped.
std::string LikePattern(CompareOp op, const std::string& value) {
  std::string escaped;
  for (char ch : value) {
    if (ch == '%' || ch == '_' || ch == '\\') escaped.push_back('\\');
    escaped.push_back(ch);
  }
  return (op == CompareOp::kSw ? "" : "%") + escaped + (op == CompareOp::kEw ? "" : "%");
}

// Values bound to a statement must outlive it; deques never move elements.
struct Binds {
  std::deque<std::string> strings;
  std::deque<long long> numbers;
};

// with_after: also the cursor's "seq > after_seq" (not for the total).
std::string Where(ColumnMap columns, const StoreQuery& q, bool with_after, soci::statement* st,
                  Binds* b) {
  std::string where;
  int n = 0;
  if (with_after && q.after_seq > 0) {
    where = " WHERE seq > :after";
    b->numbers.push_back(q.after_seq);
    st->exchange(soci::use(b->numbers.back()));
  }
  for (const auto& c : q.conditions) {
    const char* col = columns(c.column);
    const char* op = SqlOp(c.op);
    bool like = c.op == CompareOp::kCo || c.op == CompareOp::kSw || c.op == CompareOp::kEw;
    if (!col || (!op && !like) || (like && !c.value.is_string())) continue;  // re-checked anyway
    where += (where.empty() ? " WHERE " : " AND ") + std::string(col) + " " + (like ? "LIKE" : op) +
             " :p" + std::to_string(n++);
    if (like) {
      b->strings.push_back(LikePattern(c.op, c.value.as_string()));
      st->exchange(soci::use(b->strings.back()));
    } else if (c.value.kind() == Json::Kind::kInt) {
      b->numbers.push_back(c.value.as_int());
      st->exchange(soci::use(b->numbers.back()));
    } else {
      b->strings.push_back(c.value.is_string() ? c.value.as_string() : ToJson(c.value));
      st->exchange(soci::use(b->strings.back()));
    }
  }
  return where;
}

Result<ResourceRecord> MakeRecord(std::string id, long long version, long long created,
                                  long long modified, const std::string& attributes) {
  auto parsed = ParseJson(attributes);
  if (!parsed.ok()) return Internal("stored resource " + id + " is unreadable");
  ResourceRecord r;
  r.id = std::move(id);
  r.version = version;
  r.created_ms = created;
  r.last_modified_ms = modified;
  r.attributes = std::move(parsed).value();
  return r;
}

}  // namespace

Result<std::optional<ResourceRecord>> ReadRecord(soci::session& sql, const std::string& table,
                                                 const std::string& id, bool for_update) {
  std::string rid, attributes;
  long long version = 0, created = 0, modified = 0;
  sql << "SELECT id, version, created_ms, last_modified_ms, attributes FROM " + table +
             " WHERE id = :id" + (for_update ? " FOR UPDATE" : ""),
      soci::into(rid), soci::into(version), soci::into(created), soci::into(modified),
      soci::into(attributes), soci::use(id);
  if (!sql.got_data()) return std::optional<ResourceRecord>();
  auto r = MakeRecord(rid, version, created, modified, attributes);
  if (!r.ok()) return r.error();
  return std::optional<ResourceRecord>(std::move(r).value());
}

Result<Page> QueryRecords(soci::session& sql, const std::string& table, ColumnMap columns,
                          const StoreQuery& q) {
  Page page;
  {
    Binds b;
    long long total = 0;
    soci::statement st(sql);
    st.exchange(soci::into(total));
    std::string where = Where(columns, q, false, &st, &b);
    st.alloc();
    st.prepare("SELECT COUNT(*) FROM " + table + where);
    st.define_and_bind();
    st.execute(true);
    page.total = total;
  }
  if (q.limit == 0) return page;
  Binds b;
  std::string id, attributes;
  long long version = 0, created = 0, modified = 0, limit = q.limit, offset = q.offset, seq = 0;
  soci::statement st(sql);
  st.exchange(soci::into(seq));
  st.exchange(soci::into(id));
  st.exchange(soci::into(version));
  st.exchange(soci::into(created));
  st.exchange(soci::into(modified));
  st.exchange(soci::into(attributes));
  std::string text = "SELECT seq, id, version, created_ms, last_modified_ms, attributes FROM " +
                     table + Where(columns, q, true, &st, &b);
  const char* sort = q.sort ? columns(*q.sort) : nullptr;
  const char* dir = q.descending ? " DESC" : "";
  text += sort ? std::string(" ORDER BY ") + sort + dir + ", seq" + dir
               : std::string(" ORDER BY seq") + dir;
  if (q.limit > 0) {
    text += " LIMIT :lim OFFSET :off";
    st.exchange(soci::use(limit));
    st.exchange(soci::use(offset));
  }
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      auto r = MakeRecord(id, version, created, modified, attributes);
      if (!r.ok()) return r.error();
      r.value().seq = seq;
      page.records.push_back(std::move(r).value());
    } while (st.fetch());
  }
  return page;
}

void EnqueueChange(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   long long version, const std::string& op, const std::string& payload) {
  std::string resource_type(type.name);
  sql << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
         "created_at, next_attempt_at) VALUES (:t, :id, :v, :op, :p, 'pending', NOW(3), NOW(3))",
      soci::use(resource_type), soci::use(id), soci::use(version), soci::use(op),
      soci::use(payload);
}

ScimError MissedVersion(soci::session& sql, const std::string& table, const std::string& id) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " + table + " WHERE id = :id", soci::into(n), soci::use(id);
  if (n == 0) return NotFound("no resource with id " + id);
  return PreconditionFailed("the resource was changed meanwhile");
}

void WriteAuditRow(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   const std::string& name, const WriteAudit& a) {
  InsertAudit(sql, {a.actor.empty() ? "scim" : a.actor, a.request_id, a.client,
                    std::string(type.name), id, name, a.operation, a.changes, a.outcome, a.detail});
}

void AuditRefusalRow(Connection& conn, const ResourceTypeDef& type, std::string_view id,
                     const WriteAudit& audit) {
  std::string key(id);
  (void)Guarded(conn, [&](soci::session& sql) -> Result<void> {
    WriteAuditRow(sql, type, key, "", audit);
    return {};
  });
}

}  // namespace scim::db
