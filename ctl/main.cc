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
  token create --name NAME   create a bearer token; prints it alone on stdout,
                             once (only its SHA-256 is stored)
  status                     change-queue counts and the oldest pending age
  help                       this text
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
  if (cmd == "token" && !rest.empty() && rest[0] == "create") {
    return scim::ctl::TokenCreate({rest.begin() + 1, rest.end()}, config.value());
  }
  std::cerr << "scimctl: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
