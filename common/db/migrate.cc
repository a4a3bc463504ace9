#include "common/db/migrate.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "common/auth/token.h"
#include "common/scim/text.h"

namespace scim::db {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(3) NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

bool ParseVersion(const std::string& file, int* version) {
  size_t digits = 0;
  while (digits < file.size() && file[digits] >= '0' && file[digits] <= '9') ++digits;
  if (digits == 0 || digits > 6 || digits >= file.size() || file[digits] != '_') return false;
  if (file.size() < 4 || file.compare(file.size() - 4, 4, ".sql") != 0) return false;
  *version = std::stoi(file.substr(0, digits));
  return true;
}

std::string Checksum(const std::string& text) { return auth::HashToken(text); }

// Applies one file and records it. DDL commits implicitly in MySQL, so a
// failing file can leave earlier statements applied: the error names it.
Result<void> ApplyOne(soci::session& sql, const MigrationFile& f) {
  for (const auto& stmt : SplitSqlStatements(f.text)) sql << stmt;
  std::string sum = Checksum(f.text);
  sql << "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
         "VALUES (:v, :n, :c, NOW(3))",
      soci::use(f.version), soci::use(f.name), soci::use(sum);
  return {};
}

std::map<int, std::string> ReadApplied(soci::session& sql) {
  std::map<int, std::string> applied;
  soci::rowset<soci::row> rs = sql.prepare << "SELECT version, checksum FROM schema_migrations";
  for (const auto& r : rs) applied[r.get<int>(0)] = r.get<std::string>(1);
  return applied;
}

Result<std::vector<std::string>> ApplyPending(soci::session& sql,
                                              const std::vector<MigrationFile>& files) {
  sql << kCreateTable;
  MigrationDiff diff = DiffMigrations(ReadApplied(sql), files);
  if (!diff.edited.empty()) {
    return InvalidValue("migration " + diff.edited.front() + " was edited after it was applied");
  }
  for (const auto& f : files) {
    if (std::find(diff.pending.begin(), diff.pending.end(), f.name) == diff.pending.end()) {
      continue;
    }
    if (auto r = ApplyOne(sql, f); !r.ok()) return r.error();
  }
  return diff.pending;
}

}  // namespace

std::vector<std::string> SplitSqlStatements(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string_view t = Trim(line);
    if (t.empty() || t.substr(0, 2) == "--") continue;
    current += line;
    current += '\n';
    if (t.back() == ';') {
      current.erase(current.find_last_of(';'));
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\n") != std::string::npos) out.push_back(current);
  return out;
}

Result<std::vector<MigrationFile>> ReadMigrations(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return NotFound("cannot read migrations directory " + dir);
  std::vector<MigrationFile> files;
  while (dirent* e = ::readdir(d)) {
    MigrationFile f;
    f.name = e->d_name;
    if (!ParseVersion(f.name, &f.version)) continue;
    std::ifstream in(dir + "/" + f.name);
    std::stringstream ss;
    ss << in.rdbuf();
    f.text = ss.str();
    files.push_back(std::move(f));
  }
  ::closedir(d);
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      return InvalidValue("two migrations numbered " + std::to_string(files[i].version));
    }
  }
  return files;
}

MigrationDiff DiffMigrations(const std::map<int, std::string>& applied,
                             const std::vector<MigrationFile>& files) {
  MigrationDiff diff;
  std::map<int, bool> have;
  for (const auto& f : files) {
    have[f.version] = true;
    auto it = applied.find(f.version);
    if (it == applied.end()) {
      diff.pending.push_back(f.name);
    } else if (it->second != Checksum(f.text)) {
      diff.edited.push_back(f.name);
    }
  }
  for (const auto& [version, sum] : applied) {
    if (!have.count(version)) diff.unknown.push_back(version);
  }
  return diff;
}

Result<MigrationDiff> CompareMigrations(Connection& conn, const std::vector<MigrationFile>& files) {
  return Guarded(conn, [&](soci::session& sql) -> Result<MigrationDiff> {
    long long exists = 0;
    sql << "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
           "AND TABLE_NAME = 'schema_migrations'",
        soci::into(exists);
    return DiffMigrations(exists ? ReadApplied(sql) : std::map<int, std::string>{}, files);
  });
}

Result<std::vector<std::string>> Migrate(Connection& conn,
                                         const std::vector<MigrationFile>& files) {
  return Guarded(conn, [&](soci::session& sql) -> Result<std::vector<std::string>> {
    int locked = 0;
    sql << "SELECT GET_LOCK('scimsync.migrate', 60)", soci::into(locked);
    if (locked != 1) return Unavailable("another migration is running");
    auto result = ApplyPending(sql, files);
    sql << "SELECT RELEASE_LOCK('scimsync.migrate')", soci::into(locked);
    return result;
  });
}

}  // namespace scim::db
