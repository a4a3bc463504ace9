#include "tests/integration/env.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/db/connection.h"

namespace scim::it {
namespace {

std::string Require(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    std::cerr << "integration tests need " << name << " (run them with `make test`)\n";
    std::abort();
  }
  return v;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const Env& TestEnv() {
  static const Env* env = [] {
    auto* e = new Env;
    e->state_dir = Require("SCIMSYNC_TEST_STATE");
    e->bin_dir = Require("SCIMSYNC_TEST_BIN");
    e->port = std::stoi(Require("SCIMSYNC_TEST_PORT"));
    e->config_path = e->state_dir + "/scimsync.conf";
    auto c = config::LoadConfig(e->config_path);
    if (!c.ok()) {
      std::cerr << c.error().detail << "\n";
      std::abort();
    }
    e->config = c.value();
    return e;
  }();
  return *env;
}

Json Response::json() const {
  auto parsed = ParseJson(body);
  EXPECT_TRUE(parsed.ok()) << "not JSON: " << body;
  return parsed.ok() ? parsed.value() : Json();
}

Response Http(const std::string& method, const std::string& path, const std::string& body,
              const std::map<std::string, std::string>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(TestEnv().port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.set(k, v);
  // With "Transfer-Encoding: chunked" Poco writes the body in chunks.
  bool chunked = req.getChunkedTransferEncoding();
  if (!chunked && (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
    req.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Response out;
  out.status = static_cast<int>(resp.getStatus());
  for (const auto& [k, v] : resp) out.headers[Lower(k)] = v;
  Poco::StreamCopier::copyToString(in, out.body);
  return out;
}

std::map<std::string, std::string> Auth(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/scim+json"}};
}

const std::string& SharedToken() {
  static const std::string* token = [] {
    CmdResult r = RunProgram(
        TestEnv().bin_dir + "/scimctl",
        {"--config", TestEnv().config_path, "token", "create", "--name", Unique("it-shared")});
    if (r.exit_code != 0) {
      std::cerr << "scimctl token create failed: " << r.err << "\n";
      std::abort();
    }
    return new std::string(r.out.substr(0, r.out.find('\n')));
  }();
  return *token;
}

CmdResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env, const std::string& input) {
  Poco::Pipe in, out, err;
  Poco::Process::Env penv(env.begin(), env.end());
  Poco::ProcessHandle ph = Poco::Process::launch(program, args, ".", &in, &out, &err, penv);
  {
    Poco::PipeOutputStream os(in);
    os << input;
    os.close();
  }
  CmdResult r;
  // stderr is drained on its own thread so neither pipe can fill and block.
  std::thread err_reader([&] {
    Poco::PipeInputStream es(err);
    Poco::StreamCopier::copyToString(es, r.err);
  });
  Poco::PipeInputStream os(out);
  Poco::StreamCopier::copyToString(os, r.out);
  err_reader.join();
  r.exit_code = ph.wait();
  return r;
}

CmdResult Stack(const std::string& verb) {
  std::string repo = TestEnv().bin_dir + "/../..";
  return RunProgram(repo + "/scripts/stack.sh", {verb, TestEnv().state_dir},
                    {{"SCIMSYNC_BIN", TestEnv().bin_dir}});
}

db::Connection& TestConnection() {
  static db::Connection* conn = new db::Connection(TestEnv().config.db);
  return *conn;
}

void ResetDb() { TestConnection().Reset(); }

soci::session& Db() {
  auto s = TestConnection().Get();
  if (!s.ok()) {
    std::cerr << "cannot reach the test database: " << s.error().detail << "\n";
    std::abort();
  }
  return *s.value();
}

bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string IdOf(const Response& r) {
  auto parsed = ParseJson(r.body);
  const Json* id = parsed.ok() && parsed.value().is_object() ? parsed.value().Find("id") : nullptr;
  if ((r.status == 200 || r.status == 201) && id && id->is_string()) return id->as_string();
  throw std::runtime_error("expected a resource with an id, got " + std::to_string(r.status) +
                           ": " + r.body.substr(0, 500));
}

int64_t TotalOf(const Response& r) {
  auto parsed = ParseJson(r.body);
  const Json* total =
      parsed.ok() && parsed.value().is_object() ? parsed.value().Find("totalResults") : nullptr;
  if (r.status == 200 && total && total->is_number()) return total->as_int();
  throw std::runtime_error("expected a ListResponse, got " + std::to_string(r.status) + ": " +
                           r.body.substr(0, 500));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

std::string DirUserSql(const std::string& what) {
  return "SELECT " + what + " FROM " + std::string(kLinkedUsers) + " WHERE l.scim_id = :id";
}

std::string UserBody(const std::string& user_name, const std::string& extra) {
  return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + user_name +
         "\"" + extra + "}";
}

long long PlantPoisonRow(const std::string& tag, std::string* resource_id) {
  std::string id = "00000000-0000-4000-" + tag + "-" + std::to_string(100000000000LL + getpid());
  Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
          "created_at, next_attempt_at) VALUES ('User', :id, 1, 'upsert', '{not json', "
          "'pending', NOW(3), NOW(3))",
      soci::use(id);
  long long row = 0;
  Db() << "SELECT LAST_INSERT_ID()", soci::into(row);
  if (resource_id) *resource_id = id;
  return row;
}

PoisonRow::~PoisonRow() {
  try {
    Db() << "DELETE FROM change_queue WHERE id = :id", soci::use(id_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not delete poison row " << id_ << ": " << e.what();
  }
}

Child::Child(const std::string& program, const std::vector<std::string>& args,
             const std::string& stderr_path) {
  std::vector<std::string> argv_strings = {program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = ::open("/dev/null", O_RDWR);
    if (err >= 0) ::dup2(err, 2);
    if (null >= 0) ::dup2(null, 1);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
}

Child::~Child() {
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
}

bool Child::running() {
  if (pid_ <= 0 || status_ != -1) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) return false;
  status_ = -1;
  return true;
}

namespace {

// Waits until a process sent SIGSTOP has stopped (kill() returns before).
bool WaitStopped(pid_t pid) {
  std::string stat_path = "/proc/" + std::to_string(pid) + "/stat";
  return WaitUntil([&] {
    std::ifstream stat(stat_path);
    std::string pid_field, comm, state;
    stat >> pid_field >> comm >> state;
    return state == "T";
  });
}

}  // namespace

bool Child::Signal(int sig) { return running() && kill(pid_, sig) == 0; }

bool Child::Stop() { return Signal(SIGSTOP) && WaitStopped(pid_); }

int Child::Wait() {
  WaitUntil([&] { return !running(); });
  return running() ? -1 : status_;
}

namespace {

std::streamoff LogSize(const std::string& name) {
  std::ifstream f(TestEnv().state_dir + "/log/" + name, std::ios::ate);
  return f ? static_cast<std::streamoff>(f.tellg()) : 0;
}

std::string LogSince(const std::string& name, std::streamoff offset) {
  std::ifstream f(TestEnv().state_dir + "/log/" + name);
  if (!f) return "";
  f.seekg(offset);
  std::stringstream out;
  out << f.rdbuf();
  return out.str();
}

}  // namespace

DaemonLogMark MarkDaemonLogs() { return {LogSize("syncd.log"), LogSize("syncd2.log")}; }

std::string DaemonLogsSince(const DaemonLogMark& mark) {
  return LogSince("syncd.log", mark.syncd) + LogSince("syncd2.log", mark.syncd2);
}

StackDaemonPaused::StackDaemonPaused() {
  // The stack's daemons: syncd.pid, and on the Galera stack syncd2.pid too.
  for (const char* file : {"/run/syncd.pid", "/run/syncd2.pid"}) {
    std::ifstream f(TestEnv().state_dir + file);
    pid_t pid = 0;
    if (!(f >> pid)) continue;
    if (pid <= 0 || kill(pid, SIGSTOP) != 0) return;
    pids_.push_back(pid);
    if (!WaitStopped(pid)) return;
  }
  stopped_ = !pids_.empty();
}

StackDaemonPaused::~StackDaemonPaused() {
  for (pid_t pid : pids_) kill(pid, SIGCONT);
}

}  // namespace scim::it

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  scim::it::TestEnv();  // fail fast without a stack
  return RUN_ALL_TESTS();
}
