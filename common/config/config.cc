#include "common/config/config.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "common/scim/text.h"

namespace scim::config {
namespace {

bool ParseInt(std::string_view v, int base, int* out) {
  int x = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x, base);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return false;
  *out = x;
  return true;
}

using Setter = std::function<bool(Config&, std::string_view)>;

template <typename F>
Setter Text(F field) {
  return [field](Config& c, std::string_view v) {
    field(c) = std::string(v);
    return true;
  };
}

template <typename F>
Setter Int(F field, int min, int max, int base = 10) {
  return [field, min, max, base](Config& c, std::string_view v) {
    int x = 0;
    if (!ParseInt(v, base, &x) || x < min || x > max) return false;
    field(c) = x;
    return true;
  };
}

const std::map<std::string, Setter, std::less<>>& Keys() {
  static const auto* keys = new std::map<std::string, Setter, std::less<>>{
      {"db.host", Text([](Config & c) -> auto& { return c.db.host; })},
      {"db.port", Int(
                      [](Config & c) -> auto& { return c.db.port; }, 1, 65535)},
      {"db.socket", Text([](Config & c) -> auto& { return c.db.socket; })},
      {"db.name", Text([](Config & c) -> auto& { return c.db.name; })},
      {"db.user", Text([](Config & c) -> auto& { return c.db.user; })},
      {"db.password", Text([](Config & c) -> auto& { return c.db.password; })},
      {"db.connect_timeout",
       Int(
           [](Config & c) -> auto& { return c.db.connect_timeout_s; }, 1, 3600)},
      {"db.read_timeout", Int(
                              [](Config & c) -> auto& { return c.db.read_timeout_s; }, 1, 3600)},
      {"db.wsrep_sync_wait", Int(
                                 [](Config & c) -> auto& { return c.db.wsrep_sync_wait; }, 0, 15)},
      {"fcgi.socket", Text([](Config & c) -> auto& { return c.fcgi.socket; })},
      {"fcgi.socket_mode", Int(
                               [](Config & c) -> auto& { return c.fcgi.socket_mode; }, 0, 0777, 8)},
      {"fcgi.backlog", Int(
                           [](Config & c) -> auto& { return c.fcgi.backlog; }, 1, 65535)},
      {"fcgi.processes", Int(
                             [](Config & c) -> auto& { return c.fcgi.processes; }, 1, 256)},
      {"fcgi.threads", Int(
                           [](Config & c) -> auto& { return c.fcgi.threads; }, 1, 1024)},
      {"fcgi.max_body_bytes",
       [](Config& c, std::string_view v) {
         int x = 0;
         if (!ParseInt(v, 10, &x) || x < 1024) return false;
         c.fcgi.max_body_bytes = static_cast<size_t>(x);
         return true;
       }},
      {"fcgi.base_paths",
       [](Config& c, std::string_view v) {
         c.fcgi.base_paths.clear();
         for (std::string_view t : SplitList(v)) {
           if (t.empty() || t.front() != '/') return false;
           while (t.size() > 1 && t.back() == '/') t.remove_suffix(1);
           c.fcgi.base_paths.emplace_back(t);
         }
         return !c.fcgi.base_paths.empty();
       }},
      {"fcgi.public_base_url", Text([](Config & c) -> auto& { return c.fcgi.public_base_url; })},
      {"fcgi.trusted_proxies",
       [](Config& c, std::string_view v) {
         auto list = util::ParseCidrList(v);
         if (!list) return false;
         c.fcgi.trusted_proxies = std::move(*list);
         return true;
       }},
      {"fcgi.health_path",
       [](Config& c, std::string_view v) {
         if (v.empty() || v.front() != '/') return false;
         c.fcgi.health_path = std::string(v);
         return true;
       }},
      {"fcgi.admin_path",
       [](Config& c, std::string_view v) {
         if (v.size() < 2 || v.front() != '/' || v.back() != '/') return false;
         c.fcgi.admin_path = std::string(v);
         return true;
       }},
      {"fcgi.settings_ttl_ms",
       Int(
           [](Config & c) -> auto& { return c.fcgi.settings_ttl_ms; }, 0, 600000)},
      {"daemon.batch_size",
       Int(
           [](Config & c) -> auto& { return c.daemon.batch_size; }, 1, 100000)},
      {"daemon.poll_min_ms",
       Int(
           [](Config & c) -> auto& { return c.daemon.poll_min_ms; }, 1, 60000)},
      {"daemon.poll_max_ms",
       Int(
           [](Config & c) -> auto& { return c.daemon.poll_max_ms; }, 1, 60000)},
      {"daemon.max_attempts",
       Int(
           [](Config & c) -> auto& { return c.daemon.max_attempts; }, 1, 1000)},
      {"daemon.retry_base_ms",
       Int(
           [](Config & c) -> auto& { return c.daemon.retry_base_ms; }, 1, 3600000)},
      {"migrations_dir", Text([](Config & c) -> auto& { return c.migrations_dir; })},
  };
  return *keys;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Sets one key. The first directory.* key replaces the embedded mapping
// with an empty one (*directory_seen remembers it).
Result<void> SetKey(Config* config, bool* directory_seen, std::string_view key,
                    std::string_view value) {
  if (key.substr(0, 3) == "db." && value.find('\'') != std::string_view::npos) {
    return InvalidValue("db values cannot contain a single quote");
  }
  if (key.substr(0, 10) == "directory.") {
    if (!*directory_seen) config->directory = DirectoryMapping{};
    *directory_seen = true;
    return SetDirectoryKey(&config->directory, key, value);
  }
  auto it = Keys().find(key);
  if (it == Keys().end()) return InvalidValue("unknown key '" + std::string(key) + "'");
  if (!it->second(*config, value)) {
    return InvalidValue("bad value for '" + std::string(key) + "'");
  }
  return {};
}

}  // namespace

Result<Config> ParseConfig(std::string_view text) {
  Config config;
  bool directory_seen = false;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    std::string where = "config line " + std::to_string(line_no);
    if (eq == std::string_view::npos) return InvalidValue(where + ": expected key = value");
    std::string_view key = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    auto set = SetKey(&config, &directory_seen, key, value);
    if (!set.ok()) return InvalidValue(where + ": " + set.error().detail);
  }
  if (config.daemon.poll_max_ms < config.daemon.poll_min_ms) {
    return InvalidValue("daemon.poll_max_ms is below daemon.poll_min_ms");
  }
  auto mapping = ValidateMapping(config.directory);
  if (!mapping.ok()) return mapping.error();
  return config;
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot read config file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = ParseConfig(ss.str());
  if (!parsed.ok()) return InvalidValue(path + ": " + parsed.error().detail);
  parsed.value().source = path;
  return parsed;
}

Result<std::string> FindConfigFile(const std::string& cli_path) {
  if (!cli_path.empty()) return cli_path;
  if (const char* env = std::getenv("SCIMSYNC_CONFIG"); env && *env) return std::string(env);
  for (const char* candidate : {"./var/scimsync.conf", "/etc/scimsync/scimsync.conf"}) {
    if (FileExists(candidate)) return std::string(candidate);
  }
  return NotFound(
      "no config file: pass --config PATH, set SCIMSYNC_CONFIG, or create "
      "./var/scimsync.conf or /etc/scimsync/scimsync.conf");
}

bool TakeConfigOption(std::vector<std::string>* args, std::string* out) {
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& a = (*args)[i];
    if (a == "--config") {
      if (i + 1 >= args->size()) return false;
      *out = (*args)[i + 1];
      args->erase(args->begin() + static_cast<long>(i), args->begin() + static_cast<long>(i) + 2);
      return true;
    }
    if (a.rfind("--config=", 0) == 0) {
      *out = a.substr(9);
      args->erase(args->begin() + static_cast<long>(i));
      return true;
    }
  }
  return true;
}

std::string_view ConfigKeysHelp() {
  return R"(Config file (key = value, '#' comments):
  db.host, db.port, db.socket, db.name, db.user, db.password,
  db.connect_timeout, db.read_timeout, db.wsrep_sync_wait
  fcgi.socket, fcgi.socket_mode, fcgi.backlog, fcgi.processes, fcgi.threads,
  fcgi.max_body_bytes, fcgi.base_paths, fcgi.public_base_url, fcgi.settings_ttl_ms,
  fcgi.trusted_proxies, fcgi.health_path, fcgi.admin_path
  daemon.batch_size, daemon.poll_min_ms, daemon.poll_max_ms,
  daemon.max_attempts, daemon.retry_base_ms
  migrations_dir
  directory.table, directory.key, directory.column.{user_name,given_name,
  family_name,display_name,email,external_id,department,title,active,role,
  created_at,updated_at}, directory.active_values, directory.role_values,
  directory.groups, directory.group_table, directory.group_key,
  directory.group_column.display_name, directory.member_table,
  directory.member_column.group, directory.member_column.user,
  directory.member_user_key (docs/APPLICATION.md)
Looked up as: --config PATH, $SCIMSYNC_CONFIG, ./var/scimsync.conf,
/etc/scimsync/scimsync.conf. See README.md "Configuration".
)";
}

}  // namespace scim::config
