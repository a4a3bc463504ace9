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

// The [[id, display], ...] of a RelatedColumn (SQL NULL: none).
Result<void> SetRelated(ResourceRecord* r, const RelatedColumn& related, const std::string& text,
                        soci::indicator ind) {
  r->related.emplace();
  if (ind != soci::i_ok) return {};
  auto parsed = ParseJson(text);
  if (!parsed.ok() || !parsed.value().is_array()) {
    return Internal("related resources of " + r->id + " are unreadable");
  }
  for (const Json& pair : parsed.value().as_array()) {
    if (!pair.is_array() || pair.as_array().size() != 2 || !pair.as_array()[0].is_string()) {
      return Internal("related resources of " + r->id + " are unreadable");
    }
    const Json& display = pair.as_array()[1];
    r->related->push_back({pair.as_array()[0].as_string(), related.type,
                           display.is_string() ? display.as_string() : ""});
  }
  return {};
}

// The columns every record read selects, in the order Fetched binds them.
std::string RecordColumns(const RelatedColumn& related) {
  std::string cols = "t.seq, t.id, t.version, t.created_ms, t.last_modified_ms, t.attributes";
  if (related.sql) cols += std::string(", ") + related.sql;
  return cols;
}

// The values of one fetched record row; bound to a statement by Bind.
struct Fetched {
  long long seq = 0, version = 0, created = 0, modified = 0;
  std::string id, attributes, related;
  soci::indicator related_ind = soci::i_null;

  void Bind(soci::statement& st, const RelatedColumn& rc) {
    st.exchange(soci::into(seq));
    st.exchange(soci::into(id));
    st.exchange(soci::into(version));
    st.exchange(soci::into(created));
    st.exchange(soci::into(modified));
    st.exchange(soci::into(attributes));
    if (rc.sql) st.exchange(soci::into(related, related_ind));
  }
  Result<ResourceRecord> Record(const RelatedColumn& rc) const {
    auto r = MakeRecord(id, version, created, modified, attributes);
    if (!r.ok()) return r.error();
    r.value().seq = seq;
    if (rc.sql) {
      if (auto s = SetRelated(&r.value(), rc, related, related_ind); !s.ok()) return s.error();
    }
    return r;
  }
};

}  // namespace

Result<std::optional<ResourceRecord>> ReadRecord(soci::session& sql, const std::string& table,
                                                 const std::string& id, bool for_update,
                                                 RelatedColumn related) {
  Fetched f;
  std::string key = id;
  soci::statement st(sql);
  f.Bind(st, related);
  st.exchange(soci::use(key));
  st.alloc();
  st.prepare("SELECT " + RecordColumns(related) + " FROM " + table + " t WHERE t.id = :id" +
             (for_update ? " FOR UPDATE" : ""));
  st.define_and_bind();
  if (!st.execute(true)) return std::optional<ResourceRecord>();
  auto r = f.Record(related);
  if (!r.ok()) return r.error();
  return std::optional<ResourceRecord>(std::move(r).value());
}

Result<Page> QueryRecords(soci::session& sql, const std::string& table, ColumnMap columns,
                          const StoreQuery& q, RelatedColumn related) {
  Page page;
  if (q.limit != 0) {
    Binds b;
    Fetched f;
    long long limit = q.limit, offset = q.offset;
    soci::statement st(sql);
    f.Bind(st, related);
    std::string text = "SELECT " + RecordColumns(related) + " FROM " + table + " t" +
                       Where(columns, q, true, &st, &b);
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
        auto r = f.Record(related);
        if (!r.ok()) return r.error();
        page.records.push_back(std::move(r).value());
      } while (st.fetch());
    }
    // A slice from the start that is not full (or everything) is the total.
    auto n = static_cast<int64_t>(page.records.size());
    if (q.offset == 0 && q.after_seq == 0 && (q.limit < 0 || n < q.limit)) {
      page.total = n;
      return page;
    }
  }
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
