// Evaluation of parsed filters against a resource in its SCIM JSON form
// (as rendered: with "id" and "meta"). Pure.
#ifndef SCIM_COMMON_SCIM_FILTER_EVAL_H_
#define SCIM_COMMON_SCIM_FILTER_EVAL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "common/scim/filter.h"
#include "common/scim/json.h"

namespace scim {

// What evaluation needs to know about an attribute (from the schema).
struct AttrTraits {
  enum class Type {
    kString,
    kBoolean,
    kDecimal,
    kInteger,
    kDateTime,
    kBinary,
    kReference,
    kComplex
  };
  Type type = Type::kString;
  bool case_exact = false;
  bool multi_valued = false;
};

// The traits of the attribute a path names, or nullopt if the schema does
// not define it. For the inner filter of a value path, the callback gets
// the joined path: emails[type eq "work"] asks for {attr="emails", sub="type"}.
using TraitsFn = std::function<std::optional<AttrTraits>(const AttrPath&)>;

// Semantic checks the parser cannot make. Errors: 400 invalidFilter for
// gt/ge/lt/le on a boolean, binary or complex attribute. Unknown attributes
// are not an error (they simply match nothing).
Result<void> ValidateFilter(const Filter& filter, const TraitsFn& traits);

// RFC 7644 §3.4.2.2 semantics:
// - attribute names match case-insensitively; a URN-qualified path looks in
//   the extension object stored under that URN key;
// - a multi-valued attribute matches when any of its values does; a
//   comparison on a multi-valued complex attribute without a sub-attribute
//   compares its "value" sub-attribute;
// - strings compare case-insensitively unless the traits say caseExact
//   (ASCII case folding); co/sw/ew are substring tests; gt/ge/lt/le are
//   lexicographic for strings, numeric for numbers, chronological for
//   dateTime (RFC 3339 values, compared as instants);
// - a string "true"/"false" (any case) compares equal to a boolean
//   attribute of that value (Entra sends roles[primary eq "True"]);
// - pr: present and not null, not "", not [] and not {};
// - eq null is "not present"; ne null is "present";
// - a missing attribute makes every comparison false except ne, which is true.
bool Matches(const Json& resource, const Filter& filter, const TraitsFn& traits);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_FILTER_EVAL_H_
