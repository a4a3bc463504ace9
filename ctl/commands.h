// scimctl's commands: each takes its arguments (after the command words)
// and the loaded config, and returns the process exit code: 0 done, 1 a
// failure (said on stderr), 2 a usage error, kExitAlert (status, doctor,
// directory check) found something an operator must act on. Output for scripts (a new
// token, listings) goes to stdout; messages for humans to stderr.
#ifndef SCIM_CTL_COMMANDS_H_
#define SCIM_CTL_COMMANDS_H_

#include <soci/soci.h>

#include <string>
#include <vector>

#include "common/config/config.h"

namespace scim::ctl {

using Args = std::vector<std::string>;

// status: the queue is stalled (pending rows older than the window and no
// daemon seen within it); doctor: something is unsafe; directory check: the
// mapping has errors. For cron/monitoring.
inline constexpr int kExitAlert = 3;

int Migrate(const Args& args, const config::Config& config);
// ctl/token_commands.cc
int TokenCreate(const Args& args, const config::Config& config);  // --name N [--expires E]
int TokenList(const Args& args, const config::Config& config);
int TokenRevoke(const Args& args, const config::Config& config);  // ID | NAME

// ctl/health_commands.cc
int Status(const Args& args, const config::Config& config);  // [--stall-after SECONDS]
int Doctor(const Args& args, const config::Config& config);

// ctl/directory_commands.cc
int DirectoryCheck(const Args& args, const config::Config& config);

// ctl/queue_commands.cc
int QueueList(const Args& args, const config::Config& config);   // [--dead] [--limit N]
int QueueRetry(const Args& args, const config::Config& config);  // ID | --all-dead
int QueueDrop(const Args& args, const config::Config& config);   // ID (dead rows only)

// ctl/user_commands.cc
int UserDeactivate(const Args& args, const config::Config& config);  // USERNAME --reason T [--by N]
int UserReactivate(const Args& args, const config::Config& config);  // USERNAME [--by N]
// protect: USERNAME [--reason T] [--by N]; unprotect: USERNAME [--by N]
int UserProtect(const Args& args, const config::Config& config, bool protect);
int Conflicts(const Args& args, const config::Config& config);  // [--all]

// ctl/audit_commands.cc
int AuditLog(const Args& args, const config::Config& config);  // [--since T] [--user U] [--json]

// ctl/settings_commands.cc
int SettingsShow(const Args& args, const config::Config& config);
int SettingsSet(const Args& args, const config::Config& config);  // KEY VALUE
int RoleMap(const Args& args, const config::Config& config);      // add V ROLE | remove V | list

// The value after `name` in args ("--name X" or "--name=X"), or "".
std::string OptionValue(const Args& args, const std::string& name);
bool HasFlag(const Args& args, const std::string& name);
// The arguments that are neither options nor their values.
std::vector<std::string> Positionals(const Args& args);
// Who an admin action is attributed to: --by, else $SUDO_USER, else $USER.
std::string Actor(const Args& args);
int Fail(const std::string& what, const std::string& detail);

// One audit_log row for an admin action (inside the caller's transaction).
void AuditAdmin(soci::session& sql, const std::string& actor, const std::string& operation,
                const std::string& detail, const std::string& user_name = "");

}  // namespace scim::ctl

#endif  // SCIM_CTL_COMMANDS_H_
