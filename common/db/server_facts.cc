#include "common/db/server_facts.h"

#include <string>

#include "common/scim/text.h"

namespace scim::db {
namespace {

// Both spellings of the isolation variable: MariaDB before 11.1 knows only
// tx_isolation, MySQL 8 only transaction_isolation.
constexpr const char* kVariables =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'version_comment', "
    "'innodb_flush_log_at_trx_commit', 'log_bin', 'sync_binlog', 'tx_isolation', "
    "'transaction_isolation', 'max_allowed_packet')";

void ReadTables(soci::session& sql, ops::ServerFacts* facts) {
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT t.TABLE_NAME, COALESCE(t.ENGINE, ''), "
                      "COALESCE(t.TABLE_COLLATION, ''), "
                      "EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c "
                      "WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME "
                      "AND c.CONSTRAINT_TYPE = 'PRIMARY KEY') "
                      "FROM information_schema.TABLES t "
                      "WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' "
                      "ORDER BY t.TABLE_NAME");
  for (const auto& r : rs) {
    facts->tables.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                             r.get<int>(3) != 0});  // EXISTS is an INT
  }
}

}  // namespace

ops::ServerFacts ReadServerFacts(soci::session& sql) {
  ops::ServerFacts facts;
  soci::rowset<soci::row> vars = sql.prepare << kVariables;
  for (const auto& r : vars)
    facts.variables[LowerAscii(r.get<std::string>(0))] = r.get<std::string>(1);
  sql << "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA "
         "WHERE SCHEMA_NAME = DATABASE()",
      soci::into(facts.database_charset);
  ReadTables(sql, &facts);
  return facts;
}

}  // namespace scim::db
