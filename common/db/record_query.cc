#include "common/db/record_query.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string_view>

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
    std::string param = ":p" + std::to_string(n++);
    if (c.column == Column::kId) param = IdParam(param.substr(1));
    where += (where.empty() ? " WHERE " : " AND ") + std::string(col) + " " + (like ? "LIKE" : op) +
             " " + param;
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

constexpr char kRecordColumns[] =
    "t.seq, t.id, t.version, t.created_ms, t.last_modified_ms, t.attributes";

// The values of one fetched record row; bound to a statement by Bind.
struct Fetched {
  long long seq = 0, version = 0, created = 0, modified = 0;
  std::string id, attributes;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(seq));
    st.exchange(soci::into(id));
    st.exchange(soci::into(version));
    st.exchange(soci::into(created));
    st.exchange(soci::into(modified));
    st.exchange(soci::into(attributes));
  }
  Result<ResourceRecord> Record() const {
    auto r = MakeRecord(id, version, created, modified, attributes);
    if (!r.ok()) return r.error();
    r.value().seq = seq;
    return r;
  }
};

// A related resource as read, with its table's seq to order by.
struct RelatedRow {
  long long seq = 0;
  MemberRef ref;
};

void SetRelated(ResourceRecord* r, std::vector<RelatedRow> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const RelatedRow& a, const RelatedRow& b) { return a.seq < b.seq; });
  r->related.emplace();
  for (auto& row : rows) r->related->push_back(std::move(row.ref));
}

// Fills `related` of every record of a page with one query.
void ReadRelated(soci::session& sql, const RelatedSpec& spec,
                 std::vector<ResourceRecord>* records) {
  if (records->empty()) return;
  std::deque<std::string> ids;
  soci::statement st(sql);
  std::string owner, id, display, list;
  soci::indicator display_ind = soci::i_ok;
  long long seq = 0;
  st.exchange(soci::into(owner));
  st.exchange(soci::into(id));
  st.exchange(soci::into(display, display_ind));
  st.exchange(soci::into(seq));
  for (const auto& r : *records) {
    list += (list.empty() ? "(:o" : ",:o") + std::to_string(ids.size());
    ids.push_back(r.id);
    st.exchange(soci::use(ids.back()));
  }
  st.alloc();
  st.prepare(std::string(spec.of_owners) + list + ")");
  st.define_and_bind();
  std::map<std::string, std::vector<RelatedRow>> by_owner;
  if (st.execute(true)) {
    do {
      by_owner[owner].push_back(
          {seq, {id, spec.type, display_ind == soci::i_ok ? display : std::string()}});
    } while (st.fetch());
  }
  for (auto& r : *records) SetRelated(&r, std::move(by_owner[r.id]));
}

}  // namespace

std::string IdParam(std::string_view name) {
  return "CONVERT(:" + std::string(name) + " USING ascii) COLLATE ascii_bin";
}

Result<std::optional<ResourceRecord>> ReadRecord(soci::session& sql, const std::string& table,
                                                 const std::string& key, bool for_update,
                                                 RelatedSpec related, const char* key_column) {
  bool with_related = related.join && !for_update;
  Fetched f;
  std::string bound_key = key, r_id, r_display;
  soci::indicator r_id_ind = soci::i_null, r_display_ind = soci::i_null;
  long long r_seq = 0;
  soci::indicator r_seq_ind = soci::i_null;
  soci::statement st(sql);
  f.Bind(st);
  if (with_related) {
    st.exchange(soci::into(r_id, r_id_ind));
    st.exchange(soci::into(r_display, r_display_ind));
    st.exchange(soci::into(r_seq, r_seq_ind));
  }
  st.exchange(soci::use(bound_key));
  st.alloc();
  // No ORDER BY: with the attributes column it would sort through an
  // on-disk temporary table; the few related rows are sorted here.
  st.prepare(std::string("SELECT ") + kRecordColumns +
             (with_related ? std::string(", r_id, r_display, r_seq") : "") + " FROM " + table +
             " t" + (with_related ? related.join : "") + " WHERE t." + key_column + " = " +
             (std::string_view(key_column) == "id" ? IdParam("key") : std::string(":key")) +
             (for_update ? " FOR UPDATE" : ""));
  st.define_and_bind();
  if (!st.execute(true)) return std::optional<ResourceRecord>();
  auto r = f.Record();
  if (!r.ok()) return r.error();
  if (with_related) {
    std::vector<RelatedRow> rows;
    do {
      if (r_id_ind != soci::i_ok) continue;
      rows.push_back({r_seq_ind == soci::i_ok ? r_seq : 0,
                      {r_id, related.type, r_display_ind == soci::i_ok ? r_display : ""}});
    } while (st.fetch());
    SetRelated(&r.value(), std::move(rows));
  }
  return std::optional<ResourceRecord>(std::move(r).value());
}

Result<Page> QueryRecords(soci::session& sql, const std::string& table, ColumnMap columns,
                          const StoreQuery& q, RelatedSpec related) {
  Page page;
  if (q.limit != 0) {
    Binds b;
    Fetched f;
    long long limit = q.limit, offset = q.offset;
    soci::statement st(sql);
    f.Bind(st);
    const char* sort = q.sort ? columns(*q.sort) : nullptr;
    const char* dir = q.descending ? " DESC" : "";
    auto order = [&](const std::string& alias) {
      return sort ? " ORDER BY " + alias + sort + dir + ", " + alias + "seq" + dir
                  : " ORDER BY " + alias + "seq" + dir;
    };
    std::string text;
    if (q.limit > 0 && q.offset > 0) {
      // A page deep in the list: skip through seq alone (an index of
      // seq, or of the filter's or sort's column, which holds seq too),
      // then read the rows of the page only.
      bool plain = !sort && q.conditions.empty();
      text = std::string("SELECT ") + kRecordColumns + " FROM " + table +
             " t JOIN (SELECT seq FROM " + table +
             (plain ? " FORCE INDEX (idx_" + table + "_seq)" : "") +
             Where(columns, q, true, &st, &b) + order("") + " LIMIT :lim OFFSET :off) p " +
             "ON p.seq = t.seq" + order("t.");
      st.exchange(soci::use(limit));
      st.exchange(soci::use(offset));
    } else {
      text = std::string("SELECT ") + kRecordColumns + " FROM " + table + " t" +
             Where(columns, q, true, &st, &b) + order("");
      if (q.limit > 0) {
        text += " LIMIT :lim OFFSET :off";
        st.exchange(soci::use(limit));
        st.exchange(soci::use(offset));
      }
    }
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        auto r = f.Record();
        if (!r.ok()) return r.error();
        page.records.push_back(std::move(r).value());
      } while (st.fetch());
    }
    // A bounded page's related resources in one query (an unbounded
    // candidate set is filtered first; the caller asks for what it keeps).
    if (related.of_owners && q.limit > 0) ReadRelated(sql, related, &page.records);
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

ScimError MissedVersion(soci::session& sql, const std::string& table, const std::string& id) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " + table + " WHERE id = " + IdParam("id"), soci::into(n),
      soci::use(id);
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
