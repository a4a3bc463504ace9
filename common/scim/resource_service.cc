#include "common/scim/resource_service.h"

#include <algorithm>
#include <utility>

#include "common/scim/filter_eval.h"
#include "common/scim/patch.h"
#include "common/scim/store_query.h"
#include "common/scim/text.h"

namespace scim {
namespace {

constexpr int kUpdateRuns = 3;  // optimistic-concurrency retries without If-Match

bool IsGroup(const ResourceTypeDef& type) { return &type == &GroupType(); }

// "members" of a normalised group body -> the ids, removed from attributes.
std::vector<std::string> TakeMembers(Json* attributes) {
  std::vector<std::string> ids;
  if (const Json* m = attributes->Find("members"); m && m->is_array()) {
    for (const auto& e : m->as_array()) {
      if (const Json* v = e.Find("value"); v && v->is_string()) ids.push_back(v->as_string());
    }
  }
  attributes->Erase("members");
  return ids;
}

// The 404 for an id scimsync cannot have issued (CouldBeIssuedId): the
// store is not asked, and the detail does not echo the id (it may be any
// bytes from a URL).
ScimError NotIssued(const ResourceTypeDef& type) {
  return NotFound("no " + std::string(type.name) + " with this id (ids are lower-case UUIDs)");
}

// Members by ids scimsync cannot have issued: adding one is the store's
// error for an unknown member; removing one removes nothing. The store only
// ever sees ids of the issued form.
Result<void> CheckMemberIds(MemberDelta* members) {
  for (const auto& id : members->add) {
    if (!CouldBeIssuedId(id)) return UnknownMember(id);
  }
  auto& r = members->remove;
  r.erase(std::remove_if(r.begin(), r.end(),
                         [](const std::string& id) { return !CouldBeIssuedId(id); }),
          r.end());
  return {};
}

// The audit of a write: who makes it (actor, request id, client) and what.
WriteAudit Audit(const WriteAudit& who, std::string operation, std::string changes = "") {
  WriteAudit a = who;
  a.operation = std::move(operation);
  a.changes = std::move(changes);
  return a;
}

Json MemberJson(const MemberRef& m, std::string_view base_url) {
  Json o = Json::MakeObject();
  o.Set("value", m.value);
  o.Set("$ref", std::string(base_url) + (m.type == "Group" ? "/Groups/" : "/Users/") + m.value);
  if (!m.display.empty()) o.Set("display", m.display);
  o.Set("type", m.type);
  return o;
}

}  // namespace

bool IfMatchAllows(std::string_view if_match, int64_t version) {
  std::string want = std::to_string(version);
  for (std::string_view tag : SplitList(if_match)) {
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
      tag = tag.substr(1, tag.size() - 2);
    }
    if (tag == want) return true;
  }
  return false;
}

template <typename T>
Result<T> ResourceService::Refused(const WriteAudit& audit, std::string_view id, Result<T> r) {
  if (r.ok() || r.error().status >= 500) return r;
  WriteAudit a = audit;
  a.changes.clear();
  a.outcome = std::to_string(r.error().status);
  a.detail = r.error().detail;
  store_.AuditRefusal(CouldBeIssuedId(id) ? id : "", a);
  return r;
}

void ResourceService::HashPassword(Json* attributes, const Json* previous) {
  Json* pw = attributes->Find("password");
  if (!pw || !pw->is_string()) return;
  if (previous && *previous == *pw) return;  // the stored hash, unchanged
  *pw = Json(hasher_.Hash(pw->as_string()));
}

Result<ResourceRecord> ResourceService::Create(const Json& body, const WriteAudit& who) {
  WriteAudit audit = Audit(who, "create");
  return Refused(audit, "", CreateChecked(body, audit));
}

Result<ResourceRecord> ResourceService::CreateChecked(const Json& body, WriteAudit audit) {
  auto attributes = NormalizeResource(type_, body);
  if (!attributes.ok()) return attributes.error();
  ResourceRecord r;
  r.attributes = std::move(attributes).value();
  MemberDelta members;
  if (IsGroup(type_)) {
    members.replace = true;
    members.add = TakeMembers(&r.attributes);
  }
  if (auto m = CheckMemberIds(&members); !m.ok()) return m.error();
  HashPassword(&r.attributes, nullptr);
  r.id = ids_.NewId();
  if (!IsGroup(type_)) r.related.emplace();  // a new id is in no group yet
  r.version = 1;
  r.created_ms = r.last_modified_ms = clock_.NowMillis();
  Json added = members.add.empty() ? Json() : Json(static_cast<int64_t>(members.add.size()));
  audit.changes = AuditDiff(nullptr, r.attributes, added);
  if (auto s = store_.Create(r, IsGroup(type_) ? &members : nullptr, audit); !s.ok()) {
    return s.error();
  }
  return r;
}

Result<ResourceRecord> ResourceService::Get(std::string_view id) {
  if (!CouldBeIssuedId(id)) return NotIssued(type_);
  return store_.Get(id);
}

Result<ResourceRecord> ResourceService::Update(
    std::string_view id, std::string_view if_match, WriteAudit audit,
    const std::function<Result<Json>(const ResourceRecord&, MemberDelta*)>& change) {
  if (!CouldBeIssuedId(id)) return NotIssued(type_);
  for (int run = 1;; ++run) {
    auto current = store_.Get(id);
    if (!current.ok()) return current.error();
    const ResourceRecord& cur = current.value();
    if (!if_match.empty() && !IfMatchAllows(if_match, cur.version)) {
      return PreconditionFailed("the resource is at version " + WeakEtag(cur.version));
    }
    MemberDelta members;
    auto attributes = change(cur, &members);
    if (!attributes.ok()) return attributes.error();
    if (auto m = CheckMemberIds(&members); !m.ok()) return m.error();
    if (attributes.value() == cur.attributes && members.empty()) return cur;  // nothing changes
    ResourceRecord next = cur;
    next.attributes = std::move(attributes).value();
    HashPassword(&next.attributes, cur.attributes.Find("password"));
    next.version = cur.version + 1;
    next.last_modified_ms = std::max(clock_.NowMillis(), cur.last_modified_ms);
    Json delta;
    if (!members.empty()) {
      delta = Json::MakeObject();
      delta.Set("replace", members.replace);
      delta.Set("added", static_cast<int64_t>(members.add.size()));
      delta.Set("removed", static_cast<int64_t>(members.remove.size()));
    }
    audit.changes = AuditDiff(&cur.attributes, next.attributes, delta);
    bool members_only = IsGroup(type_) && if_match.empty() && next.attributes == cur.attributes;
    auto stored = store_.Update(next, members_only ? kAnyVersion : cur.version,
                                IsGroup(type_) ? &members : nullptr, audit);
    if (stored.ok()) return members_only ? store_.Get(id) : Result<ResourceRecord>(next);
    bool raced = stored.error().status == 412 && if_match.empty();
    if (!raced || run >= kUpdateRuns) return stored.error();
  }
}

Result<ResourceRecord> ResourceService::Patch(std::string_view id, const Json& body,
                                              std::string_view if_match, const WriteAudit& who) {
  WriteAudit audit = Audit(who, "patch");
  auto ops = ParsePatchRequest(body);
  if (!ops.ok()) return Refused(audit, id, Result<ResourceRecord>(ops.error()));
  return Refused(audit, id,
                 Update(id, if_match, audit,
                        [&](const ResourceRecord& cur, MemberDelta* members) -> Result<Json> {
                          if (!IsGroup(type_))
                            return ApplyPatch(type_, cur.attributes, ops.value());
                          auto rest = SplitMemberOps(cur.id, ops.value(), members);
                          if (!rest.ok()) return rest.error();
                          return ApplyPatch(type_, cur.attributes, rest.value());
                        }));
}

Result<ResourceRecord> ResourceService::Replace(std::string_view id, const Json& body,
                                                std::string_view if_match, const WriteAudit& who) {
  WriteAudit audit = Audit(who, "replace");
  return Refused(audit, id,
                 Update(id, if_match, audit,
                        [&](const ResourceRecord& cur, MemberDelta* members) -> Result<Json> {
                          auto attributes = NormalizeResource(type_, body);
                          if (!attributes.ok()) return attributes.error();
                          Json a = std::move(attributes).value();
                          if (IsGroup(type_)) {
                            members->replace = true;
                            members->add = TakeMembers(&a);
                          }
                          // A password is write-only: a PUT that leaves it out keeps it.
                          if (const Json* pw = cur.attributes.Find("password");
                              pw && !a.Find("password")) {
                            a.Set("password", *pw);
                          }
                          return a;
                        }));
}

Result<void> ResourceService::Delete(std::string_view id, std::string_view if_match,
                                     const WriteAudit& who) {
  if (!CouldBeIssuedId(id)) return NotIssued(type_);
  WriteAudit audit = Audit(who, "delete", "{}");
  auto current = store_.Get(id);
  if (!current.ok()) return current.error();
  if (!if_match.empty() && !IfMatchAllows(if_match, current.value().version)) {
    return Refused(audit, id,
                   Result<void>(PreconditionFailed("the resource is at version " +
                                                   WeakEtag(current.value().version))));
  }
  return store_.Delete(id, current.value().version, clock_.NowMillis(), audit);
}

Result<ListResult> ResourceService::List(const ListQuery& query, std::string_view base_url) {
  auto projection = ParseProjection(query.attributes, query.excluded_attributes);
  if (!projection.ok()) return projection.error();
  FilterPtr filter;
  if (!query.filter.empty()) {
    auto parsed = ParseFilter(query.filter);
    if (!parsed.ok()) return parsed.error();
    filter = parsed.value();
    if (auto v = ValidateFilter(*filter, TraitsFor(type_)); !v.ok()) return v.error();
  }
  ListResult out;
  out.start_index = query.start_index;
  out.cursor_mode = query.cursor.has_value();
  int64_t after = 0;
  if (out.cursor_mode) {
    // RFC 9865: an empty cursor starts; pages follow creation order.
    if (!query.cursor->empty()) {
      auto seq = DecodeCursor(*query.cursor);
      if (!seq) return InvalidCursor("the cursor is not valid");
      after = *seq;
    }
    if (!query.sort_by.empty()) {
      return InvalidValue("cursor pagination follows creation order; sortBy cannot be combined");
    }
  }
  std::optional<AttrPath> sort_path;
  StoreQuery sq;
  sq.descending = query.descending;
  if (!query.sort_by.empty()) {
    auto p = ParsePatchPath(query.sort_by);
    if (!p.ok() || p.value().value_filter) return InvalidValue("bad sortBy: " + query.sort_by);
    sort_path = p.value().attr;
    sq.sort = ColumnOf(type_, *sort_path);
  }
  // Without a filter or an unindexed sort, SQL pages and counts.
  if (!filter && !(sort_path && !sq.sort)) {
    sq.offset = out.cursor_mode ? 0 : query.start_index - 1;
    sq.after_seq = after;
    sq.limit = out.cursor_mode ? query.count + 1 : query.count;
    auto page = store_.Query(sq);
    if (!page.ok()) return page.error();
    out.total = page.value().total;
    auto& records = page.value().records;
    if (out.cursor_mode && records.size() > static_cast<size_t>(query.count)) {
      records.resize(static_cast<size_t>(query.count));
      if (!records.empty()) out.next_cursor = EncodeCursor(records.back().seq);
    }
    for (const auto& r : records) {
      auto j = Render(r, base_url, projection.value());
      if (!j.ok()) return j.error();
      out.resources.push_back(std::move(j).value());
    }
    return out;
  }
  // Otherwise: SQL narrows the candidates, the filter decides exactly.
  if (filter) CollectConditions(type_, *filter, &sq.conditions);
  if (filter && !IsGroup(type_)) CollectLookups(type_, *filter, false, &sq.lookups);
  auto candidates = store_.Query(sq);
  if (!candidates.ok()) return candidates.error();
  // A user's groups / a group's members cost a query each: read them while
  // filtering only when the filter or the sort names them.
  const char* related = IsGroup(type_) ? "members" : "groups";
  bool needs_related =
      (filter && Mentions(*filter, related)) || (sort_path && EqualsCi(sort_path->attr, related));
  Projection lean;
  if (!needs_related) lean.excluded.push_back(PatchPath{AttrPath{"", related, ""}, nullptr, ""});
  struct Match {
    const ResourceRecord* record;
    Json rendered;
  };
  std::vector<Match> matched;
  TraitsFn traits = TraitsFor(type_);
  for (const auto& r : candidates.value().records) {
    auto full = Render(r, base_url, lean);
    if (!full.ok()) return full.error();
    if (!filter || Matches(full.value(), *filter, traits)) {
      matched.push_back({&r, std::move(full).value()});
    }
  }
  if (sort_path && !sq.sort) {
    std::stable_sort(matched.begin(), matched.end(), [&](const Match& a, const Match& b) {
      std::string ka = SortKey(a.rendered, *sort_path), kb = SortKey(b.rendered, *sort_path);
      return query.descending ? kb < ka : ka < kb;
    });
  }
  out.total = static_cast<int64_t>(matched.size());
  size_t i = out.cursor_mode ? 0 : static_cast<size_t>(query.start_index - 1);
  while (out.cursor_mode && i < matched.size() && matched[i].record->seq <= after) ++i;
  for (; i < matched.size() && out.resources.size() < static_cast<size_t>(query.count); ++i) {
    if (needs_related) {
      out.resources.push_back(Project(type_, matched[i].rendered, projection.value()));
      continue;
    }
    auto j = Render(*matched[i].record, base_url, projection.value());  // now with related
    if (!j.ok()) return j.error();
    out.resources.push_back(std::move(j).value());
  }
  if (out.cursor_mode && i < matched.size() && !out.resources.empty()) {
    out.next_cursor = EncodeCursor(matched[i - 1].record->seq);
  }
  return out;
}

Result<std::vector<PatchOperation>> ResourceService::SplitMemberOps(
    std::string_view group_id, const std::vector<PatchOperation>& ops, MemberDelta* members) {
  std::vector<PatchOperation> rest;
  for (const auto& op : ops) {
    if (!op.path) {
      // Pathless: a "members" key is a member op of its own; the rest stays.
      PatchOperation copy = op;
      if (copy.value.is_object()) {
        for (const auto& [k, v] : op.value.as_object()) {
          if (!EqualsCi(k, "members")) continue;
          PatchOperation m{op.op, PatchPath{AttrPath{"", "members", ""}, nullptr, ""}, "members",
                           v};
          if (auto r = ApplyMemberOp(group_id, m, members); !r.ok()) return r.error();
          copy.value.Erase(k);
          break;
        }
      }
      rest.push_back(std::move(copy));
    } else if (EqualsCi(op.path->attr.attr, "members") && op.path->attr.urn.empty()) {
      if (auto r = ApplyMemberOp(group_id, op, members); !r.ok()) return r.error();
    } else {
      rest.push_back(op);
    }
  }
  return rest;
}

// One member operation as a delta: add/replace with values, remove with a
// value (Entra), with a filter (value eq is direct; other filters are
// evaluated on the current members), or everything.
Result<void> ResourceService::ApplyMemberOp(std::string_view group_id, const PatchOperation& op,
                                            MemberDelta* members) {
  if (!op.path->sub.empty() || !op.path->attr.sub.empty()) {
    return Mutability("member sub-attributes cannot be changed; add or remove members");
  }
  const AttributeDef& def = *GroupSchemaDef().Attr("members");
  auto ids = [&](const Json& value) -> Result<std::vector<std::string>> {
    Json wrapped = Json::MakeObject();
    auto n = NormalizeAttribute(def, value);
    if (!n.ok()) return n.error();
    wrapped.Set("members", n.value().is_null() ? Json::MakeArray() : n.value());
    return TakeMembers(&wrapped);
  };
  if (op.op != PatchOpKind::kRemove) {
    auto added = ids(op.value);
    if (!added.ok()) return added.error();
    if (op.op == PatchOpKind::kReplace) {
      *members = MemberDelta{true, {}, {}};
    }
    for (auto& a : added.value()) members->add.push_back(std::move(a));
    return {};
  }
  if (!op.path->value_filter) {
    if (op.value.is_null()) {
      *members = MemberDelta{true, {}, {}};  // remove all
      return {};
    }
    auto removed = ids(op.value);
    if (!removed.ok()) return removed.error();
    for (auto& r : removed.value()) members->remove.push_back(std::move(r));
    return {};
  }
  const Filter& f = *op.path->value_filter;
  if (f.kind == Filter::Kind::kCompare && f.op == CompareOp::kEq && f.value.is_string() &&
      EqualsCi(f.path.attr, "value")) {
    members->remove.push_back(f.value.as_string());
    return {};
  }
  auto current = store_.Related(group_id);
  if (!current.ok()) return current.error();
  for (const auto& m : current.value()) {
    if (Matches(MemberJson(m, ""), f, [&def](const AttrPath& p) -> std::optional<AttrTraits> {
          const AttributeDef* s = def.Sub(p.attr);
          if (!s) return std::nullopt;
          return AttrTraits{s->type, s->case_exact, false};
        })) {
      members->remove.push_back(m.value);
    }
  }
  return {};
}

Result<Json> ResourceService::Related(const ResourceRecord& record, std::string_view base_url) {
  Result<std::vector<MemberRef>> related =
      record.related ? Result<std::vector<MemberRef>>(*record.related) : store_.Related(record.id);
  if (!related.ok()) return related.error();
  Json arr = Json::MakeArray();
  for (const auto& m : related.value()) {
    Json o = MemberJson(m, base_url);
    if (!IsGroup(type_)) o.Set("type", "direct");
    arr.as_array().push_back(std::move(o));
  }
  return arr;
}

Result<Json> ResourceService::Render(const ResourceRecord& record, std::string_view base_url,
                                     const Projection& projection) {
  Json out = RenderResource(type_, record, base_url);
  const char* related_name = IsGroup(type_) ? "members" : "groups";
  if (projection.Includes(type_, related_name)) {
    auto related = Related(record, base_url);
    if (!related.ok()) return related.error();
    if (!related.value().as_array().empty()) {
      // Keep meta last: insert before it.
      Json meta = *out.Find("meta");
      out.Erase("meta");
      out.Set(related_name, std::move(related).value());
      out.Set("meta", std::move(meta));
    }
  }
  return Project(type_, out, projection);
}

}  // namespace scim
