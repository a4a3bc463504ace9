// The one configuration of scimsync: every key, its default and its parser.
// scim-fcgi, scim-syncd and scimctl all read the same file.
#ifndef SCIM_COMMON_CONFIG_CONFIG_H_
#define SCIM_COMMON_CONFIG_CONFIG_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/directory_mapping.h"
#include "common/scim/error.h"
#include "common/util/cidr.h"

namespace scim::config {

struct DbConfig {
  std::string host = "127.0.0.1";  // Default: 127.0.0.1 (ignored when socket is set)
  int port = 3306;                 // Default: 3306
  std::string socket;              // Default: none (TCP); a unix socket path wins over host
  std::string name = "scimsync";   // Default: scimsync
  std::string user = "scimsync";   // Default: scimsync
  std::string password;            // Default: empty
  int connect_timeout_s = 5;       // Default: 5
  int read_timeout_s = 30;         // Default: 30
  // Galera only (ignored when the server's wsrep_on is OFF): the session's
  // wsrep_sync_wait. 1 makes every read wait until the node has applied
  // what the cluster committed before it (read-your-writes across nodes).
  int wsrep_sync_wait = 1;  // Default: 1
};

struct FcgiConfig {
  // Default: none: serve on the socket inherited on fd 0 (spawn-fcgi,
  // mod_fcgid), or as a CGI program when fd 0 is not a socket. A path opens
  // a unix socket; ":PORT" or "HOST:PORT" a TCP one.
  std::string socket;
  int socket_mode = 0660;           // Default: 0660 (octal), for a unix socket we open
  int backlog = 128;                // Default: 128
  int processes = 2;                // Default: 2 (forked, sharing the socket)
  int threads = 24;                 // Default: 24 per process, one DB session each
  size_t max_body_bytes = 1048576;  // Default: 1 MiB
  // Default: /scim/v2,/api/scim/v2 — the URL prefixes stripped from
  // REQUEST_URI when the web server passes no PATH_INFO.
  std::vector<std::string> base_paths = {"/scim/v2", "/api/scim/v2"};
  // Default: none: meta.location is built from the request (scheme, Host
  // and prefix). Set it when a proxy rewrites them.
  std::string public_base_url;
  // Default: 5000: how long a worker thread uses the settings (enabled,
  // rate_limit) and a valid token it read before reading them again: a
  // setting change, a revocation or an expiry takes effect within this.
  int settings_ttl_ms = 5000;
  // Default: none. The peers (CIDRs, comma-separated) whose X-Forwarded-For
  // is believed: a load balancer or second proxy in front of the web
  // server. The client address (failed-authentication limit, logs, audit)
  // is then the rightmost X-Forwarded-For hop that is not itself trusted.
  // With none, it is REMOTE_ADDR (nginx's real_ip module can set that).
  std::vector<util::Cidr> trusted_proxies;
  // Default: /healthz — the request path (REQUEST_URI, outside the SCIM
  // base) answered with the workers' health, without a token.
  std::string health_path = "/healthz";
  // Default: /scim-admin/ — requests whose REQUEST_URI starts with this go
  // to the admin console (admin/), never to the SCIM router. The web server
  // must authenticate them (REMOTE_USER); the console refuses any without.
  std::string admin_path = "/scim-admin/";
};

struct DaemonConfig {
  int batch_size = 1000;     // Default: 1000 rows claimed per transaction
  int poll_min_ms = 10;      // Default: 10: idle polling starts here ...
  int poll_max_ms = 200;     // Default: 200: ... and backs off to this
  int max_attempts = 10;     // Default: 10 tries before a row is dead
  int retry_base_ms = 1000;  // Default: 1000: first retry delay, doubled per attempt
};

struct Config {
  DbConfig db;
  FcgiConfig fcgi;
  DaemonConfig daemon;
  // The application's users table (directory.* keys, see
  // directory_mapping.h). Default: BundledDirectoryMapping(), the bundled
  // directory_users table, when the file has no directory.* key; any
  // directory.* key starts from an empty mapping instead, checked by
  // ValidateMapping once the whole file is read.
  DirectoryMapping directory = BundledDirectoryMapping();
  // Default: /usr/share/scimsync/sql — numbered migration files.
  std::string migrations_dir = "/usr/share/scimsync/sql";
  std::string source;  // the file it was read from (not a key)
};

// Parses "key = value" lines; '#' starts a comment line. Unknown keys and
// malformed values are errors (400 invalidValue, with the line number).
Result<Config> ParseConfig(std::string_view text);

// Reads and parses the file.
Result<Config> LoadConfig(const std::string& path);

// The file to read: cli_path if given, else $SCIMSYNC_CONFIG, else
// ./var/scimsync.conf, else /etc/scimsync/scimsync.conf (the first that
// exists). 404 when none does, naming the places tried.
Result<std::string> FindConfigFile(const std::string& cli_path);

// Sets *out to the value of "--config PATH" / "--config=PATH" in argv and
// removes it from args. Returns false on "--config" without a value.
bool TakeConfigOption(std::vector<std::string>* args, std::string* out);

// The keys and their meaning, for --help and docs.
std::string_view ConfigKeysHelp();

}  // namespace scim::config

#endif  // SCIM_COMMON_CONFIG_CONFIG_H_
