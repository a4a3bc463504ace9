// IPv4/IPv6 addresses and CIDR blocks (the trusted-proxy list): parse and
// test membership. Pure functions of their text arguments.
#ifndef SCIM_COMMON_UTIL_CIDR_H_
#define SCIM_COMMON_UTIL_CIDR_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scim::util {

// An address as 16 bytes: IPv4 a.b.c.d is held as the IPv4-mapped IPv6
// address ::ffff:a.b.c.d, so "10.0.0.1" and "::ffff:10.0.0.1" are equal.
using IpAddress = std::array<unsigned char, 16>;

struct Cidr {
  IpAddress network{};
  int prefix_bits = 128;  // of the 16-byte form (an IPv4 /24 is 96 + 24)
  std::string text;       // as written, for messages
};

// "192.0.2.7", "2001:db8::1", "[2001:db8::1]", and an IPv4 address with a
// port ("192.0.2.7:5123", as some proxies write it). nullopt otherwise.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// "10.0.0.0/8", "2001:db8::/32", or a single address (a /32 or /128).
// nullopt for anything else, and for a prefix longer than the family's.
std::optional<Cidr> ParseCidr(std::string_view text);

// Comma-separated CIDRs ("" is none). nullopt when one of them is bad.
std::optional<std::vector<Cidr>> ParseCidrList(std::string_view text);

bool Contains(const Cidr& block, const IpAddress& address);
bool AnyContains(const std::vector<Cidr>& blocks, const IpAddress& address);

}  // namespace scim::util

#endif  // SCIM_COMMON_UTIL_CIDR_H_
