#include "common/db/schema_facts.h"

#include "common/scim/text.h"
#include "common/util/system.h"

namespace scim::db {
namespace {

using config::Attr;
using config::QuoteIdentifier;

// The columns, as information_schema.COLUMNS has them. The length is cast
// to SIGNED (a BIGINT: SOCI reads a long long), the flags are INTs.
void ReadColumns(soci::session& sql, std::string schema, std::string table,
                 ops::MappedTableFacts* t) {
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                      "CAST(COALESCE(CHARACTER_MAXIMUM_LENGTH, -1) AS SIGNED), "
                      "IS_NULLABLE = 'YES', COLUMN_DEFAULT IS NOT NULL, EXTRA "
                      "FROM information_schema.COLUMNS "
                      "WHERE TABLE_SCHEMA = :s AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION",
       soci::use(schema), soci::use(table));
  for (const auto& r : rs) {
    ops::ColumnFacts c;
    c.name = r.get<std::string>(0);
    c.data_type = LowerAscii(r.get<std::string>(1));
    c.column_type = r.get<std::string>(2);
    c.max_length = r.get<long long>(3);
    c.nullable = r.get<int>(4) != 0;
    c.has_default = r.get<int>(5) != 0;
    std::string extra = LowerAscii(r.get<std::string>(6));
    c.auto_increment = extra.find("auto_increment") != std::string::npos;
    c.generated = extra.find("generated") != std::string::npos;
    t->columns.push_back(std::move(c));
  }
}

// Columns that alone make a PRIMARY or UNIQUE index.
void ReadUniqueColumns(soci::session& sql, std::string schema, std::string table,
                       ops::MappedTableFacts* t) {
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT MIN(COLUMN_NAME) FROM information_schema.STATISTICS "
                      "WHERE TABLE_SCHEMA = :s AND TABLE_NAME = :t AND NON_UNIQUE = 0 "
                      "GROUP BY INDEX_NAME HAVING COUNT(*) = 1",
       soci::use(schema), soci::use(table));
  for (const auto& r : rs) t->unique_columns.push_back(r.get<std::string>(0));
}

// "" when the server runs stmt, else its message. A lost connection is
// not a fact about the mapping: it propagates to Guarded. 1364 (a NOT NULL
// column left out has no default, strict mode) is not a refusal of the
// account: the check reports such columns itself, as a warning.
std::string Try(soci::session& sql, const std::string& stmt) {
  try {
    sql << stmt;
    return "";
  } catch (const std::exception& e) {
    if (IsConnectionFailure(e)) throw;
    if (ServerErrorCode(e) == 1364) return "";
    return ServerMessage(e);
  }
}

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// Tries each statement on no row, in a transaction rolled back after.
// written: the quoted columns the mapping writes that exist (INSERT and
// UPDATE are tried on those, so column privileges count).
void TryStatements(soci::session& sql, const std::string& table,
                   const std::vector<std::string>& written, ops::MappedTableFacts* t) {
  sql.begin();
  t->select_error = Try(sql, "SELECT 1 FROM " + table + " WHERE 1 = 0");
  if (!written.empty()) {
    std::vector<std::string> nulls(written.size(), "NULL"), sets;
    for (const auto& c : written) sets.push_back(c + " = " + c);
    t->insert_error = Try(sql, "INSERT INTO " + table + " (" + Join(written, ", ") + ") SELECT " +
                                   Join(nulls, ", ") + " FROM DUAL WHERE 1 = 0");
    t->update_error = Try(sql, "UPDATE " + table + " SET " + Join(sets, ", ") + " WHERE 1 = 0");
  }
  t->delete_error = Try(sql, "DELETE FROM " + table + " WHERE 1 = 0");
  sql.rollback();
}

bool HasColumn(const ops::MappedTableFacts& t, const std::string& name) {
  for (const auto& c : t.columns) {
    if (EqualsCi(c.name, name)) return true;
  }
  return false;
}

ops::MappedTableFacts ReadTable(soci::session& sql, const config::TableName& name,
                                const std::vector<std::string>& written,
                                const std::string& default_schema) {
  ops::MappedTableFacts t;
  t.name = config::TableText(name, default_schema);
  std::string schema = name.schema.empty() ? default_schema : name.schema, table = name.table;
  long long n = 0;
  sql << "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = :s",
      soci::use(schema), soci::into(n);
  t.schema_visible = n > 0;
  sql << "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = :s "
         "AND TABLE_NAME = :t",
      soci::use(schema), soci::use(table), soci::into(n);
  t.table_visible = n > 0;
  std::string quoted = config::QuoteTable({schema, table});
  if (!t.table_visible) {
    t.select_error = Try(sql, "SELECT 1 FROM " + quoted + " WHERE 1 = 0");
    return t;
  }
  ReadColumns(sql, schema, table, &t);
  ReadUniqueColumns(sql, schema, table, &t);
  std::vector<std::string> present;
  for (const auto& c : written) {
    if (HasColumn(t, c)) present.push_back(QuoteIdentifier(c));
  }
  TryStatements(sql, quoted, present, &t);
  return t;
}

}  // namespace

ops::DirectoryFacts ReadDirectoryFacts(soci::session& sql, const config::DirectoryMapping& m,
                                       const std::string& default_schema) {
  ops::DirectoryFacts f;
  sql << "SELECT CURRENT_USER()", soci::into(f.account);
  std::vector<std::string> written;
  for (Attr a : config::MappedAttrs(m)) written.push_back(m.column(a));
  f.users = ReadTable(sql, m.table, written, default_schema);
  if (!m.groups) return f;
  f.groups = ReadTable(sql, m.group_table, {m.group_display_name}, default_schema);
  f.members = ReadTable(sql, m.member_table, {m.member_group, m.member_user}, default_schema);
  return f;
}

Result<std::vector<ops::Problem>> CheckDirectoryMapping(Connection& conn,
                                                        const config::Config& config) {
  auto facts = Guarded(conn, [&](soci::session& sql) -> Result<ops::DirectoryFacts> {
    return ReadDirectoryFacts(sql, config.directory, config.db.name);
  });
  if (!facts.ok()) return facts.error();
  return ops::CheckDirectory(config.directory, facts.value());
}

bool DirectoryMappingUsable(const config::Config& config, std::string_view component) {
  Connection conn(config.db);
  auto problems = CheckDirectoryMapping(conn, config);
  if (!problems.ok()) {
    util::Log("warn", component,
              "event=directory_check_skipped detail=\"" + problems.error().detail +
                  "\" (the mapping is checked at the next start)");
    return true;
  }
  for (const auto& p : problems.value()) {
    util::Log(p.level == ops::Level::kError ? "error" : "warn", component,
              "event=directory_mapping_" + std::string(ops::LevelName(p.level)) + " key=" + p.key +
                  " detail=\"" + p.detail + "\"");
  }
  if (!ops::HasErrors(problems.value())) return true;
  util::Log("error", component,
            "event=refuse_start detail=\"the directory mapping fails its check (scimctl directory "
            "check); not starting\"");
  return false;
}

}  // namespace scim::db
