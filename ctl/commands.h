// scimctl's commands: each takes its arguments and the loaded config and
// returns the process exit code. Output for humans goes to stderr, output
// for scripts (a new token) alone to stdout.
#ifndef SCIM_CTL_COMMANDS_H_
#define SCIM_CTL_COMMANDS_H_

#include <string>
#include <vector>

#include "common/config/config.h"

namespace scim::ctl {

using Args = std::vector<std::string>;

int Migrate(const Args& args, const config::Config& config);
int TokenCreate(const Args& args, const config::Config& config);
int Status(const Args& args, const config::Config& config);

// The value after `name` in args ("--name X" or "--name=X"), or "".
std::string OptionValue(const Args& args, const std::string& name);

}  // namespace scim::ctl

#endif  // SCIM_CTL_COMMANDS_H_
