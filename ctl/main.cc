// scimctl: the admin CLI of scimsync.
#include <iostream>
#include <string>
#include <vector>

#include "common/config/config.h"
#include "ctl/commands.h"

namespace {

constexpr const char* kUsage = R"(usage: scimctl [--config PATH] COMMAND [ARGS]

Commands:
  migrate [--dir DIR]        apply the numbered SQL migrations not yet applied
                             (DIR defaults to migrations_dir from the config)
  token create --name NAME [--expires DATE|TIME|DURATION]
                             create a bearer token; prints it alone on stdout,
                             once (only its SHA-256 is stored). DURATION: 90d, 12h, 30m
  token list                 name, id, created, expires, last used, status (never a token)
  token revoke ID|NAME       revoke; requests with it get 401 at once
  status [--stall-after SECONDS]
                             queue counts (pending, in flight, retrying, dead), the
                             oldest pending age, open conflicts, each daemon and
                             how long ago it was seen; exit 3 (and a warning)
                             when pending rows are older than SECONDS (60) and no
                             daemon was seen within SECONDS
  doctor                     checks the database server and the set-up: durability
                             (innodb_flush_log_at_trx_commit, sync_binlog),
                             isolation, utf8mb4, SKIP LOCKED, max_allowed_packet,
                             migrations, the account; exit 3 when anything is unsafe
  directory check            checks the directory mapping (directory.* keys) against
                             the live schema: tables, columns, keys, the active and
                             role values against each column's type, the account's
                             privileges; one line per problem, exit 3 on errors
  queue list [--dead] [--limit N]
                             pending (or dead) change-queue rows
  queue retry ID|--all-dead  queue dead rows again with a fresh attempt budget
  queue drop ID              delete one dead row (audited; nothing else removes them)
  user deactivate USERNAME --reason TEXT [--by NAME]
                             deactivate a directory user locally (SCIM will not
                             reactivate it under conflict_policy local_wins)
  user reactivate USERNAME [--by NAME]
                             clear a local deactivation; the user follows the IdP again
  user protect USERNAME [--reason TEXT] [--by NAME]
                             make an account invisible to SCIM and never changed by
                             it (break-glass local admins)
  user unprotect USERNAME [--by NAME]
                             undo it: SCIM finds the account at its next lookup
  conflicts [--all]          open (or all) conflicts between the IdP and local
                             deactivations
  audit [--since T|24h|7d] [--user USERNAME] [--json]
                             the audit log (default: the last 24 hours); --json
                             prints one JSON object per line
  settings show              every setting and role mapping
  settings set KEY VALUE     enabled, allow_moderator_promotion,
                             allow_admin_promotion (on|off), delete_behaviour
                             (deactivate|delete), conflict_policy
                             (local_wins|idp_wins), max_attempts, queue_retention,
                             audit_retention (days), rate_limit
  role-map add IDP_VALUE ROLE | role-map remove IDP_VALUE | role-map list
                             map an IdP role value to Registered, Moderator or Admin
  help                       this text

Exit codes: 0 done, 1 failed (said on stderr, e.g. MySQL unreachable),
2 usage error, 3 status found the queue stalled, doctor found something
unsafe or directory check found errors (for cron and monitoring).
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  if (!scim::config::TakeConfigOption(&args, &config_path)) {
    std::cerr << "scimctl: --config needs a path\n";
    return 2;
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage << "\n" << scim::config::ConfigKeysHelp();
    return args.empty() ? 2 : 0;
  }
  auto path = scim::config::FindConfigFile(config_path);
  if (!path.ok()) {
    std::cerr << "scimctl: " << path.error().detail << "\n";
    return 1;
  }
  auto config = scim::config::LoadConfig(path.value());
  if (!config.ok()) {
    std::cerr << "scimctl: " << config.error().detail << "\n";
    return 1;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& cmd = args[0];
  if (cmd == "migrate") return scim::ctl::Migrate(rest, config.value());
  if (cmd == "status") return scim::ctl::Status(rest, config.value());
  if (cmd == "doctor") return scim::ctl::Doctor(rest, config.value());
  std::string sub = rest.empty() ? "" : rest[0];
  scim::ctl::Args tail = rest.empty() ? rest : scim::ctl::Args(rest.begin() + 1, rest.end());
  const scim::config::Config& c = config.value();
  if (cmd == "token" && sub == "create") return scim::ctl::TokenCreate(tail, c);
  if (cmd == "token" && sub == "list") return scim::ctl::TokenList(tail, c);
  if (cmd == "token" && sub == "revoke") return scim::ctl::TokenRevoke(tail, c);
  if (cmd == "directory" && sub == "check") return scim::ctl::DirectoryCheck(tail, c);
  if (cmd == "queue" && sub == "list") return scim::ctl::QueueList(tail, c);
  if (cmd == "queue" && sub == "retry") return scim::ctl::QueueRetry(tail, c);
  if (cmd == "queue" && sub == "drop") return scim::ctl::QueueDrop(tail, c);
  if (cmd == "user" && sub == "deactivate") return scim::ctl::UserDeactivate(tail, c);
  if (cmd == "user" && sub == "reactivate") return scim::ctl::UserReactivate(tail, c);
  if (cmd == "user" && sub == "protect") return scim::ctl::UserProtect(tail, c, true);
  if (cmd == "user" && sub == "unprotect") return scim::ctl::UserProtect(tail, c, false);
  if (cmd == "conflicts") return scim::ctl::Conflicts(rest, c);
  if (cmd == "audit") return scim::ctl::AuditLog(rest, c);
  if (cmd == "settings" && sub == "show") return scim::ctl::SettingsShow(tail, c);
  if (cmd == "settings" && sub == "set") return scim::ctl::SettingsSet(tail, c);
  if (cmd == "role-map") return scim::ctl::RoleMap(rest, c);
  std::cerr << "scimctl: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
