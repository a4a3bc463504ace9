// Helpers for the integration tests: the stack that scripts/test.sh
// started (base URL, state dir, binaries), an HTTP client that goes through
// the real web server (nginx; Apache in the second run of the HTTP suites),
// a database session, and running our binaries.
#ifndef SCIM_TESTS_INTEGRATION_ENV_H_
#define SCIM_TESTS_INTEGRATION_ENV_H_

#include <signal.h>
#include <soci/soci.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <ios>
#include <map>
#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/scim/json.h"

namespace scim::it {

struct Env {
  std::string state_dir;    // $SCIMSYNC_TEST_STATE
  std::string bin_dir;      // $SCIMSYNC_TEST_BIN
  int port = 0;             // the web server under test on 127.0.0.1
  std::string config_path;  // state_dir + "/scimsync.conf"
  config::Config config;
};

// The stack under test. Aborts the test run when the environment is not set:
// a missing server is a failure, never a skip.
const Env& TestEnv();

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  Json json() const;  // the body parsed; a test failure when not JSON
};

// One HTTP/1.1 request to the web server. path includes the prefix
// ("/scim/v2/Users"). With the header "Transfer-Encoding: chunked" the body
// is sent in chunks, without a Content-Length.
Response Http(const std::string& method, const std::string& path, const std::string& body = "",
              const std::map<std::string, std::string>& headers = {});

// {"Authorization": "Bearer <token>"} plus content type for bodies.
std::map<std::string, std::string> Auth(const std::string& token);

// A bearer token made by `scimctl token create` for this test binary.
const std::string& SharedToken();

struct CmdResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program (no shell) with extra environment variables and stdin.
CmdResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& input = "");

// Runs `scripts/stack.sh VERB <state dir>` (db-stop, db-start, fcgi-stop,
// fcgi-start: take a part of the running stack away, and bring it back).
CmdResult Stack(const std::string& verb);

// A session to the test database (one per test binary).
soci::session& Db();
// Drops that session; the next Db() reconnects (after a database restart).
void ResetDb();

// How long a test waits for an asynchronous effect: the daemon applying a
// change, a worker or the daemon reconnecting, a process exiting. One
// generous limit for all: a loaded 2-core machine can take seconds, and a
// wait returns as soon as its condition holds, so the limit costs nothing
// when things work.
inline constexpr std::chrono::seconds kPatience{30};

// Polls pred every 20 ms until it holds or timeout passes (the daemon is
// asynchronous by design; this waits for it, bounded).
bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout = kPatience);

// The "id" of the resource in a 200 or 201 answer. Any other answer is a
// fatal failure: the helper throws, gtest reports it and ends the test
// (its guards still clean up), so helpers can return an id in one line.
std::string IdOf(const Response& r);

// totalResults of a 200 ListResponse; fatal like IdOf otherwise.
int64_t TotalOf(const Response& r);

// The whole file ("" when it cannot be read): logs, configs.
std::string ReadFile(const std::string& path);

// A unique suffix for names, so tests never collide.
std::string Unique(const std::string& prefix);

// The bundled directory table (the default mapping) with scimsync's link
// of each row: `d` the application's row, `l` its directory_links row.
inline constexpr char kLinkedUsers[] =
    "directory_users d JOIN directory_links l ON l.app_key = d.id";
// "SELECT <what> FROM <kLinkedUsers> WHERE l.scim_id = :id", for the
// directory row of one SCIM user (bind its id).
std::string DirUserSql(const std::string& what);
// The same for the bundled groups: `g` the row, `gl` its link, and the
// members (`m`, holding users' keys) of the group whose SCIM id is :g.
inline constexpr char kLinkedGroups[] =
    "directory_groups g JOIN directory_group_links gl ON gl.app_key = g.id";
// The SCIM ids of the directory members of the group :g.
inline constexpr char kDirMemberIds[] =
    "SELECT l.scim_id FROM directory_group_links gl JOIN directory_group_members m "
    "ON m.group_id = gl.app_key JOIN directory_links l ON l.app_key = m.user_id "
    "WHERE gl.scim_id = :g";

// A SCIM user body with the given userName.
std::string UserBody(const std::string& user_name, const std::string& extra = "");

// Queues a change whose payload is not JSON (it can never apply: poison)
// for the SCIM id 00000000-0000-4000-<tag>-<unique per process>, returned
// in *resource_id when given. Returns the queue row's id.
long long PlantPoisonRow(const std::string& tag, std::string* resource_id = nullptr);

// A poison row (PlantPoisonRow) for one test. The destructor deletes it, so
// it never retries during later tests, also when an assertion failed.
class PoisonRow {
 public:
  explicit PoisonRow(const std::string& tag) : id_(PlantPoisonRow(tag, &resource_id_)) {}
  ~PoisonRow();
  PoisonRow(const PoisonRow&) = delete;
  PoisonRow& operator=(const PoisonRow&) = delete;

  long long id() const { return id_; }
  const std::string& resource_id() const { return resource_id_; }

 private:
  std::string resource_id_;
  long long id_;
};

// A program started in the background for one test (a second scim-syncd, a
// worker), its stderr appended to stderr_path. The destructor kills it
// (SIGKILL) and reaps it if it still runs, so a failed assertion leaves no
// process behind.
class Child {
 public:
  Child(const std::string& program, const std::vector<std::string>& args,
        const std::string& stderr_path = "/dev/null");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends sig; false when the process is gone.
  bool Signal(int sig);
  // SIGSTOP, returning once it has stopped; SIGCONT.
  bool Stop();
  bool Continue() { return Signal(SIGCONT); }
  // Waits (kPatience at most) for the process to exit. Its wait status
  // (see waitpid), or -1 when it is still running.
  int Wait();

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Where the stack's daemons' logs end now: log/syncd.log, and on the
// Galera stack log/syncd2.log (the second daemon). DaemonLogsSince: what
// they logged after the mark (syncd's lines, then syncd2's).
struct DaemonLogMark {
  std::streamoff syncd = 0, syncd2 = 0;
};
DaemonLogMark MarkDaemonLogs();
std::string DaemonLogsSince(const DaemonLogMark& mark);

// The stack's own scim-syncd (both, on the Galera stack) stopped (SIGSTOP)
// for the guard's lifetime, so that a test decides which daemon sees its
// changes, or queues several for one batch; SIGCONT on destruction, also
// after a failed assertion.
class StackDaemonPaused {
 public:
  StackDaemonPaused();
  ~StackDaemonPaused();
  StackDaemonPaused(const StackDaemonPaused&) = delete;
  StackDaemonPaused& operator=(const StackDaemonPaused&) = delete;
  bool ok() const { return stopped_; }

 private:
  std::vector<pid_t> pids_;
  bool stopped_ = false;
};

}  // namespace scim::it

#endif  // SCIM_TESTS_INTEGRATION_ENV_H_
