#include "common/util/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "common/scim/text.h"

namespace scim::util {
namespace {

std::optional<IpAddress> ParseV4(const std::string& text) {
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) != 1) return std::nullopt;
  IpAddress a{};
  a[10] = a[11] = 0xff;
  std::memcpy(a.data() + 12, &v4, 4);
  return a;
}

std::optional<IpAddress> ParseV6(const std::string& text) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::nullopt;
  IpAddress a{};
  std::memcpy(a.data(), &v6, 16);
  return a;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  text = Trim(text);
  if (text.size() > 2 && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return ParseV6(std::string(text.substr(1, close - 1)));
  }
  if (text.find(':') != text.rfind(':')) return ParseV6(std::string(text));
  // IPv4, possibly with ":port".
  return ParseV4(std::string(text.substr(0, text.find(':'))));
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  text = Trim(text);
  size_t slash = text.find('/');
  std::string addr(text.substr(0, slash));
  Cidr c;
  c.text = std::string(text);
  bool v4 = addr.find(':') == std::string::npos;
  auto parsed = v4 ? ParseV4(addr) : ParseV6(addr);
  if (!parsed) return std::nullopt;
  c.network = *parsed;
  int family_bits = v4 ? 32 : 128;
  int bits = family_bits;
  if (slash != std::string_view::npos) {
    std::string_view b = text.substr(slash + 1);
    auto r = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (b.empty() || r.ec != std::errc() || r.ptr != b.data() + b.size()) return std::nullopt;
    if (bits < 0 || bits > family_bits) return std::nullopt;
  }
  c.prefix_bits = bits + (v4 ? 96 : 0);
  return c;
}

std::optional<std::vector<Cidr>> ParseCidrList(std::string_view text) {
  std::vector<Cidr> out;
  for (std::string_view item : SplitList(text)) {
    auto c = ParseCidr(item);
    if (!c) return std::nullopt;
    out.push_back(std::move(*c));
  }
  return out;
}

bool Contains(const Cidr& block, const IpAddress& address) {
  int full = block.prefix_bits / 8, rest = block.prefix_bits % 8;
  if (std::memcmp(block.network.data(), address.data(), static_cast<size_t>(full)) != 0) {
    return false;
  }
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (block.network[full] & mask) == (address[full] & mask);
}

bool AnyContains(const std::vector<Cidr>& blocks, const IpAddress& address) {
  for (const auto& b : blocks) {
    if (Contains(b, address)) return true;
  }
  return false;
}

}  // namespace scim::util
