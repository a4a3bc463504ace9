// How a list query's filter and sort reach the store (StoreQuery): the
// indexed column of an attribute path, the conditions that narrow the
// candidates, the lookups an IdP makes (adoption hints), and the sort key
// of a rendered resource. Pure.
#ifndef SCIM_COMMON_SCIM_STORE_QUERY_H_
#define SCIM_COMMON_SCIM_STORE_QUERY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/filter.h"
#include "common/scim/schema.h"
#include "common/scim/store.h"

namespace scim {

// The store column of an attribute path of type, if it has one.
std::optional<Column> ColumnOf(const ResourceTypeDef& type, const AttrPath& path);

// The conditions SQL can use to narrow the candidates: equalities on
// indexed text columns and time ranges on meta, within the top-level AND.
// The filter is still evaluated exactly on every candidate.
void CollectConditions(const ResourceTypeDef& type, const Filter& f, std::vector<Condition>* out);

// The equalities an IdP looks a user up by, within the top-level AND:
// userName eq, externalId eq, emails.value eq and emails[…].value eq (the
// latter two as kEmail). Hints for the store (it may make application
// users matching them visible first), never a narrowing. in_emails: f is
// inside an emails[…] value path.
void CollectLookups(const ResourceTypeDef& type, const Filter& f, bool in_emails,
                    std::vector<Condition>* out);

// Whether the filter names attribute `attr` anywhere.
bool Mentions(const Filter& f, std::string_view attr);

// The sort key of a rendered resource: the first (or primary) value of the
// attribute, lower-cased; missing values sort last.
std::string SortKey(const Json& resource, const AttrPath& path);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_STORE_QUERY_H_
