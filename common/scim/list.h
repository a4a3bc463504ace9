// List queries (RFC 7644 §3.4.2, §3.4.3): decoding from query parameters or
// a SearchRequest body, and the ListResponse envelope.
#ifndef SCIM_COMMON_SCIM_LIST_H_
#define SCIM_COMMON_SCIM_LIST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim {

inline constexpr int kDefaultCount = 100;
inline constexpr int kMaxCount = 1000;  // advertised as filter.maxResults

struct ListQuery {
  std::string filter;         // empty: no filter
  std::string sort_by;        // empty: creation order
  bool descending = false;    // sortOrder=descending
  int64_t start_index = 1;    // 1-based; values below 1 are taken as 1 (§3.4.2.4)
  int count = kDefaultCount;  // negative is 0; above kMaxCount is kMaxCount
  // RFC 9865: present (possibly empty, for the first page) when the client
  // asks for cursor pagination.
  std::optional<std::string> cursor;
  std::string attributes;  // comma-separated
  std::string excluded_attributes;
};

// From the (percent-decoded) query parameters; names case-insensitive.
// Errors: 400 invalidValue for a non-integer number or a bad sortOrder.
Result<ListQuery> DecodeListQuery(const std::multimap<std::string, std::string>& params);

// From a POST .search body (SearchRequest, §3.4.3). Errors: 400
// invalidSyntax / invalidValue.
Result<ListQuery> DecodeSearchRequest(const Json& body);

// {"schemas":[ListResponse],"totalResults":…,"startIndex":…,"itemsPerPage":…,"Resources":[…]}
Json RenderListResponse(int64_t total, int64_t start_index, std::vector<Json> resources);

// The cursor-paginated form (RFC 9865): no startIndex; nextCursor unless
// this is the last page.
Json RenderCursorListResponse(int64_t total, const std::optional<std::string>& next_cursor,
                              std::vector<Json> resources);

// Cursors are opaque to clients: "c" + the hex creation sequence of the
// last resource returned (lower case, no leading zeros; seq >= 1).
// DecodeCursor accepts exactly what EncodeCursor can issue, so
// EncodeCursor(*DecodeCursor(c)) == c; nullopt for anything else.
std::string EncodeCursor(int64_t seq);
std::optional<int64_t> DecodeCursor(std::string_view cursor);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_LIST_H_
