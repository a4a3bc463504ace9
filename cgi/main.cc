// scim-fcgi: the SCIM FastCGI worker. Serves on a socket it opens itself
// (--socket or fcgi.socket), on a socket inherited on fd 0 (spawn-fcgi,
// mod_fcgid), or as a plain CGI program when fd 0 is not a socket.
#include <fcgiapp.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cgi/error_response.h"
#include "cgi/fcgi_io.h"
#include "cgi/worker.h"
#include "common/config/config.h"
#include "common/db/schema_facts.h"

namespace {

constexpr const char* kUsage = R"(usage: scim-fcgi [--config PATH] [--socket PATH|[HOST]:PORT]

The scimsync SCIM 2.0 worker (FastCGI responder).
  --socket S   listen on S (a unix socket path, or [HOST]:PORT), overriding
               fcgi.socket.
Without --socket: run by a CGI server (GATEWAY_INTERFACE set) it answers one
request as a CGI program; started with a listening socket on fd 0
(spawn-fcgi, mod_fcgid) it serves that; else it listens on fcgi.socket.
  --config P   the config file (see below)
  --help       this text
It refuses to start (exit 1) when the directory mapping fails `scimctl
directory check`; with the database unreachable it starts unchecked.
)";

int Listen(const scim::config::Config& config, const std::string& socket) {
  scim::config::FcgiConfig fcgi = config.fcgi;
  fcgi.socket = socket;
  int fd = scim::cgi::OpenListenSocket(fcgi);
  if (fd < 0) return 1;
  return scim::cgi::RunFastCgi(config, fd);
}

// A directory mapping that fails its check: nothing is served. As a CGI
// program it still answers its one request, with a SCIM error body.
int RefuseToStart(bool cgi) {
  if (cgi) {
    scim::cgi::WriteCgiResponse(scim::cgi::ErrorResponse(
        scim::Internal("the directory mapping fails its check; see the worker log")));
  }
  return 1;
}

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
  auto config = path.ok() ? scim::config::LoadConfig(path.value())
                          : scim::Result<scim::config::Config>(path.error());
  if (!config.ok()) {
    std::cerr << "scim-fcgi: " << config.error().detail << "\n";
    return 1;
  }
  // The mode, in this order: --socket; CGI when the server says so
  // (GATEWAY_INTERFACE, RFC 3875 §4.1.4); a socket inherited on fd 0; the
  // configured fcgi.socket.
  const scim::config::Config& cfg = config.value();
  bool cgi = socket.empty() && std::getenv("GATEWAY_INTERFACE");
  if (!scim::db::DirectoryMappingUsable(cfg, "fcgi")) return RefuseToStart(cgi);
  if (!socket.empty()) return Listen(cfg, socket);
  if (cgi) return scim::cgi::RunCgi(cfg);
  if (!FCGX_IsCGI()) return scim::cgi::RunFastCgi(cfg, 0);
  if (!cfg.fcgi.socket.empty()) return Listen(cfg, cfg.fcgi.socket);
  std::cerr << "scim-fcgi: nothing to serve on: set fcgi.socket, pass --socket, or start it "
               "from spawn-fcgi, mod_fcgid or as a CGI program\n";
  return 2;
}
