// scimctl directory check: the directory mapping against the live schema.
#include <iostream>

#include "common/db/connection.h"
#include "common/db/schema_facts.h"
#include "ctl/commands.h"

namespace scim::ctl {

int DirectoryCheck(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto problems = db::CheckDirectoryMapping(conn, config);
  if (!problems.ok()) return Fail("directory check", problems.error().detail);
  int errors = 0, warnings = 0;
  for (const auto& p : problems.value()) {
    errors += p.level == ops::Level::kError;
    warnings += p.level == ops::Level::kWarning;
    std::string level(ops::LevelName(p.level));
    std::cout << level << std::string(9 - level.size(), ' ') << p.key << ": " << p.detail << "\n";
  }
  std::cout << "directory check: " << errors << " error(s), " << warnings << " warning(s) (table "
            << config::TableText(config.directory.table, config.db.name) << ", config "
            << config.source << ")\n";
  return errors > 0 ? kExitAlert : 0;
}

}  // namespace scim::ctl
