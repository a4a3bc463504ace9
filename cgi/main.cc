// scim-fcgi: the SCIM FastCGI worker. Serves on a socket it opens itself
// (--socket or fcgi.socket), on a socket inherited on fd 0 (spawn-fcgi,
// mod_fcgid), or as a plain CGI program when fd 0 is not a socket.
#include <fcgiapp.h>

#include <iostream>
#include <string>
#include <vector>

#include "cgi/worker.h"
#include "common/config/config.h"

namespace {

constexpr const char* kUsage = R"(usage: scim-fcgi [--config PATH] [--socket PATH|[HOST]:PORT]

The scimsync SCIM 2.0 worker (FastCGI responder).
  --socket S   listen on S (a unix socket path, or [HOST]:PORT), overriding
               fcgi.socket. Without a socket it serves on the socket inherited
               on fd 0 (spawn-fcgi, mod_fcgid), or, when fd 0 is not a socket,
               answers one request as a CGI program.
  --config P   the config file (see below)
  --help       this text
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path, socket;
  if (!scim::config::TakeConfigOption(&args, &config_path)) {
    std::cerr << "scim-fcgi: --config needs a path\n";
    return 2;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage << "\n" << scim::config::ConfigKeysHelp();
      return 0;
    }
    if (args[i] == "--socket" && i + 1 < args.size()) {
      socket = args[++i];
    } else {
      std::cerr << "scim-fcgi: unknown argument '" << args[i] << "'\n" << kUsage;
      return 2;
    }
  }
  auto path = scim::config::FindConfigFile(config_path);
  if (!path.ok()) {
    std::cerr << "scim-fcgi: " << path.error().detail << "\n";
    return 1;
  }
  auto config = scim::config::LoadConfig(path.value());
  if (!config.ok()) {
    std::cerr << "scim-fcgi: " << config.error().detail << "\n";
    return 1;
  }
  if (!socket.empty()) config.value().fcgi.socket = socket;
  if (!config.value().fcgi.socket.empty()) {
    int fd = scim::cgi::OpenListenSocket(config.value().fcgi);
    if (fd < 0) return 1;
    return scim::cgi::RunFastCgi(config.value(), fd);
  }
  if (!FCGX_IsCGI()) return scim::cgi::RunFastCgi(config.value(), 0);
  return scim::cgi::RunCgi(config.value());
}
