#include "common/util/system.h"

#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

namespace scim::util {

int64_t SystemClock::NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string RandomIdGenerator::NewId() {
  unsigned char bytes[16];
  RandomBytes(bytes, sizeof bytes);
  return UuidFromBytes(bytes);
}

void RandomBytes(unsigned char* buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::getrandom(buf + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();
    }
    done += static_cast<size_t>(n);
  }
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "unknown";
  return name;
}

void Log(std::string_view level, std::string_view component, std::string_view message) {
  SystemClock clock;
  std::string line = "ts=" + FormatTimestamp(clock.NowMillis()) + " level=" + std::string(level) +
                     " component=" + std::string(component) + " pid=" + std::to_string(::getpid()) +
                     " " + std::string(message) + "\n";
  // One write() per line keeps lines whole when threads and processes share stderr.
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace scim::util
