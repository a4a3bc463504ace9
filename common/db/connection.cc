#include "common/db/connection.h"

#include <soci/mysql/soci-mysql.h>

#include <atomic>
#include <random>

#include "common/util/system.h"

namespace scim::db {
namespace {

// SOCI's MySQL connect string is "key=value" pairs; a value in single
// quotes may hold spaces. SOCI 4.0.3 has no escape for a quote inside a
// value, so ParseConfig refuses db values containing one.
std::string Quote(const std::string& v) { return "'" + v + "'"; }

bool IsConnectionError(unsigned code) {
  switch (code) {
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed
    case 2002:  // can't connect through socket
    case 2003:  // can't connect over TCP
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection, system error
    case 4031:  // disconnected by the server (inactivity)
      return true;
    default:
      return false;
  }
}

std::atomic<int64_t> conflicts{0};

}  // namespace

int64_t ConflictCount() { return conflicts.load(); }

std::chrono::milliseconds ConflictBackoff(int run) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return std::chrono::milliseconds(5 * run + static_cast<int>(rng() % 10));
}

std::string ConnectString(const config::DbConfig& c) {
  std::string s = "db=" + Quote(c.name) + " user=" + Quote(c.user);
  if (!c.password.empty()) s += " password=" + Quote(c.password);
  if (!c.socket.empty()) {
    s += " unix_socket=" + Quote(c.socket);
  } else {
    s += " host=" + Quote(c.host) + " port=" + std::to_string(c.port);
  }
  s += " charset=utf8mb4 connect_timeout=" + std::to_string(c.connect_timeout_s) +
       " read_timeout=" + std::to_string(c.read_timeout_s) +
       " write_timeout=" + std::to_string(c.read_timeout_s);
  return s;
}

Result<soci::session*> Connection::Get() {
  if (session_) return session_.get();
  try {
    auto s = std::make_unique<soci::session>(soci::mysql, ConnectString(config_));
    *s << "SET time_zone = '+00:00'";
    // A Galera node: reads wait for what other nodes committed first, so a
    // client that wrote through one node finds it through another.
    std::string name, value;
    *s << "SHOW VARIABLES LIKE 'wsrep_on'", soci::into(name), soci::into(value);
    if (s->got_data() && value == "ON")
      *s << "SET SESSION wsrep_sync_wait = " + std::to_string(config_.wsrep_sync_wait);
    session_ = std::move(s);
    return session_.get();
  } catch (const std::exception& e) {
    util::Log("error", "db", std::string("connect failed: ") + e.what());
    return Unavailable("the database is unavailable; retry later");
  }
}

bool IsConnectionFailure(const std::exception& e) {
  const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e);
  return my && IsConnectionError(my->err_num_);
}

unsigned ServerErrorCode(const std::exception& e) {
  const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e);
  return my ? my->err_num_ : 0;
}

std::string ServerMessage(const std::exception& e) {
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
  return soci_error ? soci_error->get_error_message() : e.what();
}

DbFailure ClassifyDbError(const std::exception& e) {
  const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e);
  unsigned code = my ? my->err_num_ : 0;
  if (code == 1062) {
    return {Uniqueness("a resource with that unique attribute already exists"), false, false,
            false};
  }
  if (code == 1213) {  // deadlock; Galera: certification conflict (expected, retried)
    int64_t n = ++conflicts;
    util::Log("warn", "db", "event=conflict conflicts=" + std::to_string(n) + " " + e.what());
    return {Unavailable("the database is busy; retry later"), false, true, true};
  }
  if (code == 1305) {  // a savepoint gone: a conflict (above) rolled the transaction back
    util::Log("warn", "db", "event=transaction_gone " + std::string(e.what()));
    return {Unavailable("the database is busy; retry later"), false, false, false};
  }
  util::Log("error", "db", "code=" + std::to_string(code) + " " + e.what());
  if (IsConnectionError(code)) {
    return {Unavailable("the database is unavailable; retry later"), true, true, false};
  }
  if (code == 1205) {  // lock wait timeout
    return {Unavailable("the database is busy; retry later"), false, true, false};
  }
  return {Internal("internal database error"), false, false, false};
}

}  // namespace scim::db
