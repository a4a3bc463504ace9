#include "common/scim/store_query.h"

#include "common/scim/text.h"

namespace scim {

std::optional<Column> ColumnOf(const ResourceTypeDef& type, const AttrPath& path) {
  ResolvedAttr r = Resolve(type, path);
  if (!r.attr || r.in_extension) return std::nullopt;
  std::string_view a = r.attr->name, s = r.sub ? r.sub->name : "";
  if (a == "id" && s.empty()) return Column::kId;
  if (a == "externalId" && s.empty()) return Column::kExternalId;
  if (a == "displayName" && s.empty()) return Column::kDisplayName;
  if (a == "meta" && s == "created") return Column::kCreated;
  if (a == "meta" && s == "lastModified") return Column::kLastModified;
  if (&type == &GroupType()) return std::nullopt;
  if (a == "userName" && s.empty()) return Column::kUserName;
  if (a == "name" && s == "givenName") return Column::kGivenName;
  if (a == "name" && s == "familyName") return Column::kFamilyName;
  return std::nullopt;
}

// The conditions SQL can use to narrow the candidates: equalities on
// indexed text columns and time ranges on meta, within the top-level AND.
// The filter is still evaluated exactly on every candidate.
void CollectConditions(const ResourceTypeDef& type, const Filter& f, std::vector<Condition>* out) {
  if (f.kind == Filter::Kind::kAnd) {
    CollectConditions(type, *f.left, out);
    CollectConditions(type, *f.right, out);
    return;
  }
  if (f.kind != Filter::Kind::kCompare || !f.value.is_string()) return;
  auto col = ColumnOf(type, f.path);
  if (!col) return;
  if (*col == Column::kCreated || *col == Column::kLastModified) {
    auto ms = ParseDateTime(f.value.as_string());
    if (ms && f.op != CompareOp::kNe && f.op != CompareOp::kCo && f.op != CompareOp::kSw &&
        f.op != CompareOp::kEw) {
      out->push_back({*col, f.op, Json(*ms)});
    }
  } else if (f.op == CompareOp::kEq || f.op == CompareOp::kCo || f.op == CompareOp::kSw ||
             f.op == CompareOp::kEw) {
    out->push_back({*col, f.op, f.value});  // co/sw/ew become LIKE in the store
  }
}

// The equalities an IdP looks a user up by, within the top-level AND:
// userName eq, externalId eq, emails.value eq and emails[…].value eq (the
// latter two as kEmail). Hints for the store (it may make application
// users matching them visible first), never a narrowing.
void CollectLookups(const ResourceTypeDef& type, const Filter& f, bool in_emails,
                    std::vector<Condition>* out) {
  if (f.kind == Filter::Kind::kAnd) {
    CollectLookups(type, *f.left, in_emails, out);
    CollectLookups(type, *f.right, in_emails, out);
    return;
  }
  if (f.kind == Filter::Kind::kValuePath && !in_emails && EqualsCi(f.path.attr, "emails") &&
      f.path.urn.empty()) {
    return CollectLookups(type, *f.left, true, out);
  }
  if (f.kind != Filter::Kind::kCompare || f.op != CompareOp::kEq || !f.value.is_string()) return;
  if (in_emails) {
    if (EqualsCi(f.path.attr, "value") && f.path.sub.empty()) {
      out->push_back({Column::kEmail, f.op, f.value});
    }
    return;
  }
  if (EqualsCi(f.path.attr, "emails") && EqualsCi(f.path.sub, "value") && f.path.urn.empty()) {
    out->push_back({Column::kEmail, f.op, f.value});
    return;
  }
  auto col = ColumnOf(type, f.path);
  if (col == Column::kUserName || col == Column::kExternalId) out->push_back({*col, f.op, f.value});
}

// Whether the filter names attribute `attr` anywhere.
bool Mentions(const Filter& f, std::string_view attr) {
  if (EqualsCi(f.path.attr, attr)) return true;
  if (f.kind == Filter::Kind::kValuePath) return false;  // inner paths are sub-attributes
  return (f.left && Mentions(*f.left, attr)) || (f.right && Mentions(*f.right, attr));
}

// The sort key of a rendered resource: the first value of the attribute.
std::string SortKey(const Json& resource, const AttrPath& path) {
  const Json* v = resource.FindCi(path.attr);
  if (v && v->is_array()) {
    const Json* first = nullptr;
    for (const auto& e : v->as_array()) {
      const Json* p = e.is_object() ? e.Find("primary") : nullptr;
      if (!first || (p && p->is_bool() && p->as_bool())) first = &e;
    }
    v = first;
  }
  if (v && v->is_object()) v = v->FindCi(path.sub.empty() ? "value" : path.sub);
  if (!v) return std::string(1, '\x7f');  // missing values sort last
  std::string s = v->is_string() ? v->as_string() : ToJson(*v);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace scim
