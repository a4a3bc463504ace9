// Time and identifiers enter the pure core through these interfaces, so
// tests can fix them. The real implementations live in common/util/.
#ifndef SCIM_COMMON_SCIM_CLOCK_H_
#define SCIM_COMMON_SCIM_CLOCK_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace scim {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() = 0;  // milliseconds since the Unix epoch, UTC
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string NewId() = 0;  // a fresh lower-case UUID
};

// "2026-11-22T17:27:05.123Z" (RFC 3339, UTC, milliseconds).
std::string FormatTimestamp(int64_t millis);

// A version 4 UUID from 16 random bytes (RFC 9562 §5.4).
std::string UuidFromBytes(const unsigned char bytes[16]);

// Whether id has the form of the ids scimsync issues: a lower-case UUID,
// 8-4-4-4-12 hex digits (any version: rows planted with MariaDB's UUID()
// count). Any other string names no resource, so the services answer 404
// (or, for a member, 400) without asking the store.
bool CouldBeIssuedId(std::string_view id);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_CLOCK_H_
