// One scim-fcgi binary in its three modes: its own socket (the main pool
// behind nginx, used by every other test), a socket inherited from
// spawn-fcgi (a second pool behind the same nginx), and plain CGI.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
  EXPECT_EQ(ParseJson(json).value().Find("totalResults")->as_int(), 1) << json;

  // The user created over CGI is the same one nginx serves.
  Response via_nginx = Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + name + "%22", "",
                            Auth(SharedToken()));
  EXPECT_EQ(via_nginx.json().Find("totalResults")->as_int(), 1);
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

TEST(WorkerModesTest, MultiThreadedWorkerStopsOnSigterm) {
  std::string sock = TestEnv().state_dir + "/run/sigterm-test.sock";
  pid_t pid = fork();
  if (pid == 0) {
    std::string bin = TestEnv().bin_dir + "/scim-fcgi";
    execl(bin.c_str(), bin.c_str(), "--config", TestEnv().config_path.c_str(), "--socket",
          sock.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  struct stat st;
  ASSERT_TRUE(WaitUntil([&] { return ::stat(sock.c_str(), &st) == 0; }, std::chrono::seconds(5)));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = -1;
  bool exited =
      WaitUntil([&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(5));
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  ASSERT_TRUE(exited) << "scim-fcgi ignored SIGTERM for 5 s";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace scim::it
