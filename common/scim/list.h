// List queries (RFC 7644 §3.4.2): decoding of the query parameters, paging
// arithmetic and the ListResponse envelope.
#ifndef SCIM_COMMON_SCIM_LIST_H_
#define SCIM_COMMON_SCIM_LIST_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim {

inline constexpr int kDefaultCount = 100;
inline constexpr int kMaxCount = 1000;  // advertised in ServiceProviderConfig

struct ListQuery {
  std::string filter;         // empty: no filter
  int64_t start_index = 1;    // 1-based; values below 1 are taken as 1 (§3.4.2.4)
  int count = kDefaultCount;  // negative is 0; above kMaxCount is kMaxCount
};

// Decodes filter, startIndex and count from the (already percent-decoded)
// query parameters. Errors: 400 invalidValue for a non-integer number.
Result<ListQuery> DecodeListQuery(const std::multimap<std::string, std::string>& params);

// {"schemas":[ListResponse],"totalResults":…,"startIndex":…,"itemsPerPage":…,"Resources":[…]}
Json RenderListResponse(int64_t total, int64_t start_index, std::vector<Json> resources);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_LIST_H_
