// The real clock, CSPRNG and id generator, the host name, and one-line
// logging. The only place that reads the system clock or /dev/urandom.
#ifndef SCIM_COMMON_UTIL_SYSTEM_H_
#define SCIM_COMMON_UTIL_SYSTEM_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/scim/clock.h"

namespace scim::util {

class SystemClock : public Clock {
 public:
  int64_t NowMillis() override;
};

class RandomIdGenerator : public IdGenerator {
 public:
  std::string NewId() override;
};

// Fills buf from the kernel CSPRNG (getrandom). Aborts if the kernel
// cannot supply randomness: nothing sensible can go on without it.
void RandomBytes(unsigned char* buf, size_t len);

// This machine's host name (gethostname), or "unknown".
std::string HostName();

// Writes one line "ts=… level=… component=… msg" to stderr, atomically.
void Log(std::string_view level, std::string_view component, std::string_view message);

}  // namespace scim::util

#endif  // SCIM_COMMON_UTIL_SYSTEM_H_
