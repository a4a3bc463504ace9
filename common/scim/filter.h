// SCIM filter expressions (RFC 7644 §3.4.2.2).
// The walking skeleton parses a single comparison `attrPath op value`; the
// logical operators, grouping and value paths arrive with issue 3 and are
// refused with 400 invalidFilter until then.
#ifndef SCIM_COMMON_SCIM_FILTER_H_
#define SCIM_COMMON_SCIM_FILTER_H_

#include <string>
#include <string_view>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim {

enum class CompareOp { kEq, kNe, kCo, kSw, kEw, kGt, kGe, kLt, kLe, kPr };

struct Comparison {
  std::string attr;  // as written, e.g. "userName", "name.givenName"
  CompareOp op = CompareOp::kEq;
  Json value;  // string, number, boolean or null; null for pr
};

// Errors: 400 invalidFilter naming what failed and the offset.
// Unquoted literals (`externalId eq jyoung`, sent by Entra ID) are taken as
// strings.
Result<Comparison> ParseFilter(std::string_view text);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_FILTER_H_
