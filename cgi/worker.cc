#include "cgi/worker.h"

#include <fcgiapp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "admin/router.h"
#include "cgi/error_response.h"
#include "cgi/fcgi_io.h"
#include "cgi/router.h"
#include "common/db/adoption.h"
#include "common/db/mysql_group_store.h"
#include "common/db/mysql_token_store.h"
#include "common/db/mysql_user_store.h"
#include "common/db/settings_store.h"
#include "common/util/password.h"
#include "common/util/system.h"

namespace scim::cgi {
namespace {

std::atomic<bool> g_stopping{false};
std::atomic<int> g_busy{0};     // threads between accept and the end of their request
std::atomic<int> g_running{0};  // serving threads not yet returned
Limits g_limits;                // shared by the threads of one process

// Everything one thread serves with; built once per thread.
struct ThreadServices {
  explicit ThreadServices(const config::Config& config)
      : conn(config.db),
        app_users(config.directory),
        adopter{app_users, clock, ids, "scim-fcgi"},
        user_store(conn, &adopter),
        group_store(conn),
        tokens(conn),
        users(UserType(), user_store, clock, ids, hasher),
        groups(GroupType(), group_store, clock, ids, hasher),
        cached_tokens(tokens, clock, config.fcgi.settings_ttl_ms),
        settings(
            [this] {
              return db::Guarded(conn, [](soci::session& sql) -> Result<sync::Settings> {
                return db::ReadSettings(sql);
              });
            },
            clock, config.fcgi.settings_ttl_ms),
        console{conn, app_users, clock, ids, config.fcgi, ""} {}
  db::Connection conn;
  db::AppUsers app_users;
  util::SystemClock clock;
  util::RandomIdGenerator ids;
  db::Adopter adopter;
  db::MysqlUserStore user_store;
  db::MysqlGroupStore group_store;
  db::MysqlTokenStore tokens;
  util::Pbkdf2Hasher hasher;
  ResourceService users;
  ResourceService groups;
  CachedTokenStore cached_tokens;
  SettingsCache settings;
  Services services{users, groups, cached_tokens, settings, g_limits, clock, [this] {
                      return db::Guarded(conn, [](soci::session& sql) -> Result<void> {
                        sql << "SELECT 1";
                        return {};
                      });
                    }};
  admin::Console console;
};

// Serve() — or, under fcgi.admin_path, the admin console's — behind a
// last-resort catch: a thrown exception here is a bug, logged, and
// answered 500.
HttpResponse ServeSafely(const Result<HttpRequest>& req, ThreadServices& ts, RequestLog* log) {
  if (!req.ok()) return ErrorResponse(req.error());
  try {
    if (req.value().admin) {
      log->token_name = "admin:" + req.value().remote_user;
      return admin::Serve(req.value(), ts.console);
    }
    return Serve(req.value(), ts.services, log);
  } catch (const std::exception& e) {
    util::Log("error", "fcgi", std::string("unhandled exception: ") + e.what());
  } catch (...) {
    util::Log("error", "fcgi", "unhandled non-standard exception");
  }
  return ErrorResponse(Internal("internal error"));
}

void LogRequest(const Result<HttpRequest>& req, const RequestLog& log, int status,
                std::chrono::steady_clock::time_point start) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::string line = "event=request";
  if (req.ok()) {
    const HttpRequest& r = req.value();
    line += " request_id=" + (r.request_id.empty() ? "-" : r.request_id) + " method=" + r.method +
            " path=" + (r.path == "\x01" ? "-" : (r.path.empty() ? "/" : r.path)) +
            " client=" + (r.remote_addr.empty() ? "-" : r.remote_addr);
  }
  if (!log.auth_failure.empty()) line += " auth_failed=\"" + log.auth_failure + "\"";
  line += " token=" + (log.token_name.empty() ? "-" : log.token_name) +
          " status=" + std::to_string(status) + " duration_ms=" + std::to_string(us / 1000) + "." +
          std::to_string((us % 1000) / 100);
  util::Log("info", "fcgi", line);
}

void ServeThread(const config::Config& config, int listen_fd) {
  ThreadServices ts(config);
  FCGX_Request request;
  FCGX_InitRequest(&request, listen_fd, 0);
  while (!g_stopping.load()) {
    if (FCGX_Accept_r(&request) < 0) break;
    ++g_busy;
    auto start = std::chrono::steady_clock::now();
    RequestLog log;
    auto req = ReadFcgiRequest(request, config.fcgi);
    HttpResponse resp = ServeSafely(req, ts, &log);
    WriteFcgiResponse(request, resp);
    FCGX_Finish_r(&request);
    --g_busy;
    LogRequest(req, log, resp.status, start);
  }
  FCGX_Free(&request, 1);
}

void RunServeThread(const config::Config& config, int listen_fd) {
  ServeThread(config, listen_fd);
  --g_running;
}

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGCHLD);
  return set;
}

// One serving process: threads in accept(); the main thread waits for a
// stop signal, then shuts the listening socket down, which makes every
// blocked accept() fail so the threads return after their current request.
// With nginx's fastcgi_keep_conn on, an idle thread may instead be blocked
// reading a kept-alive connection that nginx has no reason to close: once no
// thread is inside a request (bounded wait), the process exits without
// joining those; the kernel closes their connections and DB sessions.
int ServeProcess(const config::Config& config, int listen_fd) {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  FCGX_Init();
  g_running = config.fcgi.threads;
  for (int i = 0; i < config.fcgi.threads; ++i) {
    std::thread(RunServeThread, std::cref(config), listen_fd).detach();
  }
  int sig = 0;
  do {
    sigwait(&set, &sig);
  } while (sig == SIGCHLD);
  g_stopping = true;
  FCGX_ShutdownPending();
  ::shutdown(listen_fd, SHUT_RDWR);
  constexpr int kGraceMs = 30000;  // a request in flight gets this long to finish
  for (int waited = 0; waited < kGraceMs && g_running.load() > 0; waited += 10) {
    if (g_busy.load() == 0 && waited >= 100) break;  // the rest are idle
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  util::Log("info", "fcgi",
            "event=stop_process idle_threads_left=" + std::to_string(g_running.load()));
  std::fflush(nullptr);
  _exit(0);
}

pid_t SpawnChild(const config::Config& config, int listen_fd) {
  pid_t pid = fork();
  if (pid == 0) _exit(ServeProcess(config, listen_fd));
  return pid;
}

// True when something accepts connections on the unix socket at path.
bool SocketIsLive(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) return false;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  bool live = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return live;
}

}  // namespace

int OpenListenSocket(const config::FcgiConfig& config) {
  const std::string& path = config.socket;
  bool is_unix = !path.empty() && path.front() == '/';
  if (is_unix && SocketIsLive(path)) {
    util::Log("error", "fcgi", "another process is serving on " + path);
    return -1;
  }
  if (is_unix) ::unlink(path.c_str());  // a stale socket from a crash
  int fd = FCGX_OpenSocket(path.c_str(), config.backlog);
  if (fd < 0) {
    util::Log("error", "fcgi", "cannot listen on " + path);
    return -1;
  }
  if (is_unix && ::chmod(path.c_str(), static_cast<mode_t>(config.socket_mode)) != 0) {
    util::Log("error", "fcgi", "cannot chmod " + path);
  }
  return fd;
}

int RunFastCgi(const config::Config& config, int listen_fd) {
  util::Log("info", "fcgi",
            "event=start processes=" + std::to_string(config.fcgi.processes) +
                " threads=" + std::to_string(config.fcgi.threads));
  if (config.fcgi.processes == 1) return ServeProcess(config, listen_fd);
  sigset_t set = StopSignals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  std::vector<pid_t> children;
  for (int i = 0; i < config.fcgi.processes; ++i) children.push_back(SpawnChild(config, listen_fd));
  for (;;) {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGCHLD) break;
    // A child died unexpectedly: reap it and start another in its place.
    for (auto& pid : children) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) != pid) continue;
      util::Log("error", "fcgi", "worker " + std::to_string(pid) + " exited; restarting");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      pid = SpawnChild(config, listen_fd);
    }
  }
  for (pid_t pid : children) kill(pid, SIGTERM);
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
  util::Log("info", "fcgi", "event=stop");
  return 0;
}

int RunCgi(const config::Config& config) {
  ThreadServices ts(config);
  auto start = std::chrono::steady_clock::now();
  RequestLog log;
  auto req = ReadCgiRequest(config.fcgi);
  HttpResponse resp = ServeSafely(req, ts, &log);
  WriteCgiResponse(resp);
  LogRequest(req, log, resp.status, start);
  return 0;
}

}  // namespace scim::cgi
