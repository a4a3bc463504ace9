// SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): the parsed
// forms and their parsers. Evaluation is in filter_eval.h. Pure.
//
// Grammar (RFC 7644 Figure 1, plus what real IdPs send):
//   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
//   valuePath = attrPath "[" valFilter "]"
//   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
//   logExp    = FILTER SP ("and" / "or") SP FILTER      ; "and" binds tighter
//   compValue = false / null / true / number / string   ; JSON literals
//             / bare word                               ; Entra: externalId eq jyoung
//   attrPath  = [URI ":"] ATTRNAME *1subAttr
// Operators and keywords are case-insensitive ("EQ", "And", "NOT").
#ifndef SCIM_COMMON_SCIM_FILTER_H_
#define SCIM_COMMON_SCIM_FILTER_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim {

enum class CompareOp { kEq, kNe, kCo, kSw, kEw, kGt, kGe, kLt, kLe };

// [urn ":"] attr ["." sub], names as written (matched case-insensitively
// later). "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"
// is {urn = "...:2.0:User", attr = "manager", sub = "value"}: the URN is the
// longest prefix ending before the last ':'-separated attribute name.
struct AttrPath {
  std::string urn;   // "" when not qualified
  std::string attr;  // e.g. "emails", "userName", "meta"
  std::string sub;   // "" or e.g. "value", "givenName", "lastModified"
};

// "urn:…:attr.sub" / "attr.sub" / "attr": the path as SCIM writes it.
std::string ToString(const AttrPath& path);

struct Filter;
using FilterPtr = std::shared_ptr<const Filter>;  // immutable, shareable tree

struct Filter {
  enum class Kind { kCompare, kPresent, kAnd, kOr, kNot, kValuePath };
  Kind kind = Kind::kCompare;
  AttrPath path;                  // kCompare, kPresent; kValuePath: the multi-valued attribute
  CompareOp op = CompareOp::kEq;  // kCompare
  Json value;                     // kCompare: string, number, boolean or null
  FilterPtr left;                 // kAnd, kOr; kNot: the operand; kValuePath: the inner
                                  // filter, whose paths name sub-attributes (attr = "type")
  FilterPtr right;                // kAnd, kOr
};

// Parses a filter. Errors: 400 invalidFilter with what failed and the
// offset. Nesting is limited (64 levels) so hostile input cannot exhaust
// the stack.
Result<FilterPtr> ParseFilter(std::string_view text);

// A PATCH operation's "path" (RFC 7644 §3.5.2):
//   PATH = attrPath / valuePath [subAttr]
// e.g. "members", "name.givenName", "emails[type eq \"work\"].value",
// "members[value eq \"2819c223\"]", "urn:…:enterprise:2.0:User:manager".
struct PatchPath {
  AttrPath attr;           // attr.sub is set for "name.givenName"
  FilterPtr value_filter;  // null unless a "[...]" selector is present
  std::string sub;         // the sub-attribute after "]", e.g. "value"
};

// Errors: 400 invalidPath (malformed path, or a filter inside [] that does
// not parse; the detail says which).
Result<PatchPath> ParsePatchPath(std::string_view text);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_FILTER_H_
