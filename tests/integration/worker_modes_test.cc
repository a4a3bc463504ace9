// One scim-fcgi binary in its three modes: its own socket (the main pool
// behind nginx, used by every other test), a socket inherited from
// spawn-fcgi (a second pool behind the same nginx), and plain CGI.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

TEST(WorkerModesTest, InheritedSocketFromSpawnFcgiServes) {
  std::string name = Unique("spawned");
  auto headers = Auth(SharedToken());
  headers["Host"] = "spawned.localhost";
  Response created = Http("POST", "/spawned/scim/v2/Users", UserBody(name), headers);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.headers["location"].find("/spawned/scim/v2/Users/"), std::string::npos);
  Response list =
      Http("GET", "/spawned/scim/v2/Users?filter=userName%20eq%20%22" + name + "%22", "", headers);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().Find("totalResults")->as_int(), 1);
}

std::map<std::string, std::string> CgiEnv(const std::string& method, const std::string& uri,
                                          size_t body_size) {
  std::string query = uri.find('?') == std::string::npos ? "" : uri.substr(uri.find('?') + 1);
  return {{"GATEWAY_INTERFACE", "CGI/1.1"},
          {"REQUEST_METHOD", method},
          {"REQUEST_URI", uri},
          {"QUERY_STRING", query},
          {"CONTENT_LENGTH", body_size ? std::to_string(body_size) : ""},
          {"CONTENT_TYPE", body_size ? "application/scim+json" : ""},
          {"HTTP_HOST", "cgi.example.com"},
          {"HTTP_AUTHORIZATION", "Bearer " + SharedToken()},
          {"SCIMSYNC_CONFIG", TestEnv().config_path}};
}

TEST(WorkerModesTest, PlainCgiAnswersOneRequest) {
  std::string name = Unique("cgi");
  std::string body = UserBody(name);
  CmdResult post = RunProgram(TestEnv().bin_dir + "/scim-fcgi", {},
                              CgiEnv("POST", "/scim/v2/Users", body.size()), body);
  ASSERT_EQ(post.exit_code, 0) << post.err;
  EXPECT_EQ(post.out.rfind("Status: 201 Created\r\n", 0), 0u) << post.out;
  EXPECT_NE(post.out.find("Content-Type: application/scim+json\r\n"), std::string::npos);
  EXPECT_NE(post.out.find("Location: http://cgi.example.com/scim/v2/Users/"), std::string::npos);

  CmdResult get =
      RunProgram(TestEnv().bin_dir + "/scim-fcgi", {},
                 CgiEnv("GET", "/scim/v2/Users?filter=userName+eq+%22" + name + "%22", 0));
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(get.out.rfind("Status: 200 OK\r\n", 0), 0u) << get.out;
  std::string json = get.out.substr(get.out.find("\r\n\r\n") + 4);
  auto listed = ParseJson(json);
  ASSERT_TRUE(listed.ok()) << get.out;
  const Json* total = listed.value().Find("totalResults");
  ASSERT_NE(total, nullptr) << json;
  EXPECT_EQ(total->as_int(), 1) << json;

  // The user created over CGI is the same one nginx serves.
  Response via_nginx = Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + name + "%22", "",
                            Auth(SharedToken()));
  EXPECT_EQ(TotalOf(via_nginx), 1);
}

TEST(WorkerModesTest, ASecondWorkerNeverTakesOverALiveSocket) {
  std::string live = TestEnv().state_dir + "/run/fcgi.sock";
  CmdResult r = RunProgram(TestEnv().bin_dir + "/scim-fcgi",
                           {"--config", TestEnv().config_path, "--socket", live});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("another process is serving"), std::string::npos) << r.err;
  Response still = Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken()));
  EXPECT_EQ(still.status, 200) << still.body;
}

// A FastCGI record (FastCGI 1.0 spec §3.3): version 1, type, request id 1.
std::string FcgiRecord(unsigned char type, const std::string& content) {
  std::string r = {1,
                   static_cast<char>(type),
                   0,
                   1,
                   static_cast<char>(content.size() >> 8),
                   static_cast<char>(content.size() & 0xff),
                   0,
                   0};
  return r + content;
}

std::string FcgiParam(const std::string& name, const std::string& value) {
  return std::string(1, static_cast<char>(name.size())) + static_cast<char>(value.size()) + name +
         value;
}

// Connects to the worker's socket as nginx with fastcgi_keep_conn on does:
// one GET with the FCGI_KEEP_CONN flag, answered in full, connection left
// open. Returns the socket, or -1.
int KeptAliveRequest(const std::string& path, std::string* answer) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  std::string params = FcgiParam("REQUEST_METHOD", "GET") +
                       FcgiParam("REQUEST_URI", "/scim/v2/ServiceProviderConfig") +
                       FcgiParam("HTTP_HOST", "localhost") +
                       FcgiParam("HTTP_AUTHORIZATION", "Bearer " + SharedToken());
  std::string out = FcgiRecord(1, std::string("\0\1\1\0\0\0\0\0", 8)) +  // BEGIN, keep
                    FcgiRecord(4, params) + FcgiRecord(4, "") + FcgiRecord(5, "");
  if (::write(fd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) return -1;
  // Read records until FCGI_END_REQUEST (type 3).
  std::string in;
  char buf[4096];
  for (int i = 0; i < 100; ++i) {
    for (size_t at = 0; at + 8 <= in.size();) {
      size_t len = (static_cast<unsigned char>(in[at + 4]) << 8) +
                   static_cast<unsigned char>(in[at + 5]) + static_cast<unsigned char>(in[at + 6]);
      if (at + 8 + len > in.size()) break;
      if (in[at + 1] == 6) answer->append(in, at + 8, len - static_cast<unsigned char>(in[at + 6]));
      if (in[at + 1] == 3) return fd;
      at += 8 + len;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return -1;
}

// A scim-fcgi serving on its own socket at `sock`, started for a test;
// returns its pid once it has answered a request (-1 if it never does). The
// socket exists before the worker handles signals: only an answer shows
// that a SIGTERM would now stop it cleanly.
pid_t StartWorker(const std::string& sock) {
  ::unlink(sock.c_str());  // left by an earlier run, it would look ready
  pid_t pid = fork();
  if (pid == 0) {
    std::string bin = TestEnv().bin_dir + "/scim-fcgi";
    execl(bin.c_str(), bin.c_str(), "--config", TestEnv().config_path.c_str(), "--socket",
          sock.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  auto answers = [&] {
    std::string answer;
    int fd = KeptAliveRequest(sock, &answer);
    if (fd >= 0) ::close(fd);
    return fd >= 0;
  };
  if (pid > 0 && !WaitUntil(answers)) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
  }
  return pid;
}

// SIGTERMs the worker; true when it exited 0 within kPatience (else it is
// killed).
::testing::AssertionResult StopsOnSigterm(pid_t pid) {
  if (kill(pid, SIGTERM) != 0) return ::testing::AssertionFailure() << "kill failed";
  int status = -1;
  bool exited = WaitUntil([&] { return waitpid(pid, &status, WNOHANG) == pid; });
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return ::testing::AssertionFailure()
           << "scim-fcgi ignored SIGTERM for " << kPatience.count() << " s";
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return ::testing::AssertionFailure() << "scim-fcgi exited with status " << status;
  }
  return ::testing::AssertionSuccess();
}

TEST(WorkerModesTest, MultiThreadedWorkerStopsOnSigterm) {
  pid_t pid = StartWorker(TestEnv().state_dir + "/run/sigterm-test.sock");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(StopsOnSigterm(pid));
}

// nginx with fastcgi_keep_conn on keeps idle connections open, and a thread
// of the worker sits reading each: SIGTERM must still stop the worker.
TEST(WorkerModesTest, WorkerStopsOnSigtermWithKeptAliveConnections) {
  std::string sock = TestEnv().state_dir + "/run/keepalive-test.sock";
  pid_t pid = StartWorker(sock);
  ASSERT_GT(pid, 0);
  std::vector<int> open_fds;
  for (int i = 0; i < 3; ++i) {
    std::string answer;
    int fd = KeptAliveRequest(sock, &answer);
    EXPECT_GE(fd, 0);
    EXPECT_NE(answer.find("Status: 200"), std::string::npos) << answer;
    if (fd >= 0) open_fds.push_back(fd);
  }
  EXPECT_TRUE(StopsOnSigterm(pid));
  for (int fd : open_fds) ::close(fd);
}

}  // namespace
}  // namespace scim::it
