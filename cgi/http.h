// Plain HTTP request/response structs, and the decoding of CGI/FastCGI
// parameters into a request. No fcgi types: tests build requests directly.
#ifndef SCIM_CGI_HTTP_H_
#define SCIM_CGI_HTTP_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config/config.h"
#include "common/scim/error.h"

namespace scim::cgi {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // below the SCIM base: "/Users/…"; "" for the base itself
  std::multimap<std::string, std::string> query;  // percent-decoded
  std::map<std::string, std::string> headers;     // lower-case names
  std::string body;
  std::string base_url;     // "https://host/scim/v2": the root for meta.location
  std::string remote_addr;  // the client: REMOTE_ADDR, or from a trusted proxy's X-Forwarded-For
  std::string request_id;
  bool health = false;  // the health check (fcgi.health_path), not a SCIM request
  // The admin console (fcgi.admin_path): path is then below it ("/" for the
  // console's root, "/tokens", ...), and remote_user is who the web server
  // authenticated (REMOTE_USER; "" when it passed none).
  bool admin = false;
  std::string remote_user;
  std::string scheme;     // "http" or "https", as the client used
  std::string authority;  // "host[:port]" as the client addressed it (Host, else SERVER_NAME)

  // The header's value, or "" when absent. name is lower-case.
  const std::string& Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Looks up one CGI parameter (REQUEST_METHOD, HTTP_HOST, ...); nullptr if unset.
using ParamFn = std::function<const char*(const char*)>;

// Builds a request (without its body) from CGI parameters. The SCIM path is
// REQUEST_URI's path with the longest matching prefix from base_paths
// removed; failing that, PATH_INFO below SCRIPT_NAME. A request outside the
// SCIM base gets path "\x01" so the router answers 404.
HttpRequest DecodeParams(const ParamFn& param, const config::FcgiConfig& config);

// The client's address: remote_addr itself unless it is a trusted proxy
// with an X-Forwarded-For value; then the rightmost hop of that list that is
// not a trusted proxy (hops further left were written by the client and
// prove nothing). A hop that is not an address stops the walk at the last
// trusted one; when every hop is trusted, the leftmost.
std::string ClientAddress(const std::string& remote_addr, std::string_view forwarded_for,
                          const std::vector<util::Cidr>& trusted);

// The longest request URI the workers accept (nginx's default header
// buffers allow 8 KiB lines too).
inline constexpr size_t kMaxUriBytes = 8192;

// Parses CONTENT_LENGTH: "" or absent is 0. Errors: 400 invalidSyntax when
// it is not a number, 413 when it exceeds max_body_bytes.
Result<size_t> BodyLength(const char* content_length, size_t max_body_bytes);

// Reads up to n bytes of the request body into buf; 0 at its end.
using ReadFn = std::function<size_t(char* buf, size_t n)>;

// The request body: CONTENT_LENGTH bytes. Without CONTENT_LENGTH but with
// HTTP_TRANSFER_ENCODING (Apache hands a chunked body on so, over CGI and,
// from some 16 KiB, over mod_proxy_fcgi), everything up to the end; else
// none. Errors: those of BodyLength, 413 when a body without length passes
// max_body_bytes (the rest is not read), 400 when one is shorter than its
// CONTENT_LENGTH.
Result<std::string> ReadBody(const ParamFn& param, const ReadFn& read, size_t max_body_bytes);

// The whole request, for FastCGI and CGI alike (they differ only in param
// and read): 414 for a REQUEST_URI over kMaxUriBytes (nothing is read),
// else DecodeParams and ReadBody with their errors.
Result<HttpRequest> DecodeRequest(const ParamFn& param, const ReadFn& read,
                                  const config::FcgiConfig& config);

// application/x-www-form-urlencoded decoding ('+' is a space).
std::multimap<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view s, bool plus_is_space);

// The reason phrase of a status ("Created").
std::string_view ReasonPhrase(int status);

// "Status: …" and headers, CRLF-separated, then the body: what a FastCGI
// or CGI program writes.
std::string SerializeCgiResponse(const HttpResponse& response);

}  // namespace scim::cgi

#endif  // SCIM_CGI_HTTP_H_
