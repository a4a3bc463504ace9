// Helpers for the integration tests: the stack that scripts/test.sh
// started (base URL, state dir, binaries), an HTTP client that goes through
// the real web server (nginx; Apache in the second run of the HTTP suites),
// a database session, and running our binaries.
#ifndef SCIM_TESTS_INTEGRATION_ENV_H_
#define SCIM_TESTS_INTEGRATION_ENV_H_

#include <soci/soci.h>

#include <chrono>
#include <functional>
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

// Polls pred every 20 ms until it holds or timeout passes (the daemon is
// asynchronous by design; this waits for it, bounded).
bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

// A unique suffix for names, so tests never collide.
std::string Unique(const std::string& prefix);

// A SCIM user body with the given userName.
std::string UserBody(const std::string& user_name, const std::string& extra = "");

// Queues a change whose payload is not JSON (it can never apply: poison)
// for the SCIM id 00000000-0000-4000-<tag>-<unique per process>, returned
// in *resource_id when given. Returns the queue row's id.
long long PlantPoisonRow(const std::string& tag, std::string* resource_id = nullptr);

}  // namespace scim::it

#endif  // SCIM_TESTS_INTEGRATION_ENV_H_
