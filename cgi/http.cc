#include "cgi/http.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "common/scim/text.h"

namespace scim::cgi {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Get(const ParamFn& param, const char* name) {
  const char* v = param(name);
  return v ? std::string(v) : std::string();
}

// "HTTP_IF_NONE_MATCH" -> "if-none-match"
void AddHeader(HttpRequest* req, const ParamFn& param, const char* cgi_name, const char* header) {
  if (const char* v = param(cgi_name)) req->headers[header] = v;
}

// Finds the SCIM path and the prefix it sits under.
void SplitPath(HttpRequest* req, const ParamFn& param, const config::FcgiConfig& config,
               std::string* prefix) {
  std::string uri = Get(param, "REQUEST_URI");
  std::string raw_path = uri.substr(0, uri.find('?'));
  std::string path = PercentDecode(raw_path, false);
  if (path == config.health_path) {
    req->health = true;
    req->path = path;
    return;
  }
  const std::string& admin = config.admin_path;
  if (path.compare(0, admin.size(), admin) == 0 || path + "/" == admin) {
    req->admin = true;
    req->path = path.size() >= admin.size() ? path.substr(admin.size() - 1) : "/";
    return;
  }
  size_t best = std::string::npos;
  for (const auto& base : config.base_paths) {
    bool match = path.compare(0, base.size(), base) == 0 &&
                 (path.size() == base.size() || path[base.size()] == '/');
    if (match && (best == std::string::npos || base.size() > best)) best = base.size();
  }
  if (best != std::string::npos) {
    *prefix = path.substr(0, best);
    req->path = path.substr(best);
    return;
  }
  std::string path_info = Get(param, "PATH_INFO");
  if (!path_info.empty() || !Get(param, "SCRIPT_NAME").empty()) {
    *prefix = Get(param, "SCRIPT_NAME");
    req->path = path_info;
    return;
  }
  req->path = "\x01";
}

ScimError BodyTooLarge(size_t max_body_bytes) {
  return PayloadTooLarge("the request body exceeds " + std::to_string(max_body_bytes) + " bytes");
}

Result<std::string> ReadExactly(const ReadFn& read, size_t length) {
  std::string body(length, '\0');
  for (size_t got = 0; got < length;) {
    size_t n = read(body.data() + got, length - got);
    if (n == 0) return InvalidSyntax("the request body is shorter than announced");
    got += n;
  }
  return body;
}

Result<std::string> ReadToEnd(const ReadFn& read, size_t max_body_bytes) {
  std::string body;
  char buf[16384];
  while (size_t n = read(buf, sizeof buf)) {
    if (body.size() + n > max_body_bytes) return BodyTooLarge(max_body_bytes);
    body.append(buf, n);
  }
  return body;
}

}  // namespace

std::string ClientAddress(const std::string& remote_addr, std::string_view forwarded_for,
                          const std::vector<util::Cidr>& trusted) {
  auto peer = util::ParseIpAddress(remote_addr);
  if (trusted.empty() || !peer || !util::AnyContains(trusted, *peer)) return remote_addr;
  std::string client = remote_addr;
  while (!Trim(forwarded_for).empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = forwarded_for.substr(0, comma == std::string_view::npos ? 0 : comma);
    auto address = util::ParseIpAddress(hop);
    if (!address) return client;
    client = std::string(hop);
    if (!util::AnyContains(trusted, *address)) return client;
  }
  return client;
}

const std::string& HttpRequest::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::multimap<std::string, std::string> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

HttpRequest DecodeParams(const ParamFn& param, const config::FcgiConfig& config) {
  HttpRequest req;
  req.method = Get(param, "REQUEST_METHOD");
  req.query = ParseQuery(Get(param, "QUERY_STRING"));
  req.remote_addr = ClientAddress(Get(param, "REMOTE_ADDR"), Get(param, "HTTP_X_FORWARDED_FOR"),
                                  config.trusted_proxies);
  req.request_id = Get(param, "REQUEST_ID");
  if (req.request_id.empty()) req.request_id = Get(param, "HTTP_X_REQUEST_ID");
  AddHeader(&req, param, "HTTP_AUTHORIZATION", "authorization");
  AddHeader(&req, param, "CONTENT_TYPE", "content-type");
  AddHeader(&req, param, "CONTENT_LENGTH", "content-length");
  AddHeader(&req, param, "HTTP_ACCEPT", "accept");
  AddHeader(&req, param, "HTTP_IF_MATCH", "if-match");
  AddHeader(&req, param, "HTTP_IF_NONE_MATCH", "if-none-match");
  AddHeader(&req, param, "HTTP_USER_AGENT", "user-agent");
  AddHeader(&req, param, "HTTP_PREFER", "prefer");
  AddHeader(&req, param, "HTTP_ORIGIN", "origin");
  AddHeader(&req, param, "HTTP_REFERER", "referer");
  req.remote_user = Get(param, "REMOTE_USER");
  std::string prefix;
  SplitPath(&req, param, config, &prefix);
  std::string https = Get(param, "HTTPS");
  req.scheme = Get(param, "REQUEST_SCHEME");
  if (req.scheme.empty()) req.scheme = (!https.empty() && https != "off") ? "https" : "http";
  req.authority = Get(param, "HTTP_HOST");
  if (req.authority.empty()) req.authority = Get(param, "SERVER_NAME");
  // Debian's fastcgi_params passes HTTP_HOST as $host, without the port.
  std::string port = Get(param, "SERVER_PORT");
  bool default_port = port.empty() || (req.scheme == "http" && port == "80") ||
                      (req.scheme == "https" && port == "443");
  if (req.authority.find(':') == std::string::npos && !default_port) req.authority += ":" + port;
  req.base_url = config.public_base_url.empty() ? req.scheme + "://" + req.authority + prefix
                                                : config.public_base_url;
  return req;
}

Result<size_t> BodyLength(const char* content_length, size_t max_body_bytes) {
  if (!content_length || !*content_length) return size_t{0};
  size_t n = 0;
  const char* end = content_length + std::strlen(content_length);
  auto r = std::from_chars(content_length, end, n);
  if (r.ec == std::errc::result_out_of_range)
    n = SIZE_MAX;
  else if (r.ec != std::errc() || r.ptr != end)
    return InvalidSyntax("bad Content-Length");
  if (n > max_body_bytes) return BodyTooLarge(max_body_bytes);
  return n;
}

Result<std::string> ReadBody(const ParamFn& param, const ReadFn& read, size_t max_body_bytes) {
  const char* content_length = param("CONTENT_LENGTH");
  if (content_length && *content_length) {
    auto length = BodyLength(content_length, max_body_bytes);
    if (!length.ok()) return length.error();
    return ReadExactly(read, length.value());
  }
  if (Get(param, "HTTP_TRANSFER_ENCODING").empty()) return std::string();
  return ReadToEnd(read, max_body_bytes);
}

Result<HttpRequest> DecodeRequest(const ParamFn& param, const ReadFn& read,
                                  const config::FcgiConfig& config) {
  if (const char* uri = param("REQUEST_URI"); uri && std::strlen(uri) > kMaxUriBytes) {
    return UriTooLong("the request URI is longer than " + std::to_string(kMaxUriBytes) + " bytes");
  }
  HttpRequest req = DecodeParams(param, config);
  auto body = ReadBody(param, read, config.max_body_bytes);
  if (!body.ok()) return body.error();
  req.body = std::move(body).value();
  return req;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string SerializeCgiResponse(const HttpResponse& r) {
  std::string out =
      "Status: " + std::to_string(r.status) + " " + std::string(ReasonPhrase(r.status)) + "\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  // RFC 9110 §8.6: no Content-Length on a 204; on a 304 it would have to
  // be the full representation's length.
  if (r.status != 204 && r.status != 304) {
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  out += "\r\n" + r.body;
  return out;
}

}  // namespace scim::cgi
