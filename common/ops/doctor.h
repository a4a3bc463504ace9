// `scimctl doctor`: judges the live database server and scimsync's own set-up
// (durability, isolation, character sets, SKIP LOCKED, packet size,
// migrations, the account) and says plainly what is unsafe. Pure: the facts
// are read by common/db (ReadServerFacts) and passed in.
#ifndef SCIM_COMMON_OPS_DOCTOR_H_
#define SCIM_COMMON_OPS_DOCTOR_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"

namespace scim::ops {

struct TableFacts {
  std::string name, engine, collation;
  bool has_primary_key = false;
};

struct ServerFacts {
  // Global variables by lower-case name (version, innodb_flush_log_at_trx_commit,
  // log_bin, sync_binlog, tx_isolation or transaction_isolation,
  // max_allowed_packet, ...); a missing one is "".
  std::map<std::string, std::string> variables;
  std::string database_charset;    // the scimsync database's default
  std::vector<TableFacts> tables;  // every table of the scimsync database
};

struct MigrationFacts {
  std::string error;                 // why the files could not be read, else ""
  int available = 0;                 // files in migrations_dir
  std::vector<std::string> pending;  // files not applied yet
  std::vector<std::string> edited;   // applied, but the file changed since
  std::vector<int> unknown;          // versions applied that have no file here
};

enum class Severity { kOk, kWarn, kUnsafe };
std::string_view SeverityName(Severity s);  // "ok", "warn", "UNSAFE"

struct Finding {
  Severity severity = Severity::kOk;
  std::string check;   // what was looked at, e.g. "innodb_flush_log_at_trx_commit"
  std::string detail;  // the value and, unless ok, why it matters and what to do
};

// One finding per check, in a fixed order.
std::vector<Finding> Diagnose(const ServerFacts& server, const MigrationFacts& migrations,
                              const config::Config& config);

// MariaDB 10.6+ and MySQL 8.0.1+ support SELECT ... FOR UPDATE SKIP LOCKED,
// which every claim uses. version: @@version ("10.11.6-MariaDB-0+deb12u1",
// "8.0.36"); comment: @@version_comment (MariaDB when either says so).
// False when the version cannot be parsed.
bool SupportsSkipLocked(std::string_view version, std::string_view comment = "");

}  // namespace scim::ops

#endif  // SCIM_COMMON_OPS_DOCTOR_H_
