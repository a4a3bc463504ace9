// SCIM semantics for one resource type (/Users or /Groups) over a
// ResourceStore: what each request means, with no I/O of its own. Not
// thread-safe; one per worker thread.
#ifndef SCIM_COMMON_SCIM_RESOURCE_SERVICE_H_
#define SCIM_COMMON_SCIM_RESOURCE_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/clock.h"
#include "common/scim/list.h"
#include "common/scim/patch.h"
#include "common/scim/resource.h"
#include "common/scim/store.h"

namespace scim {

// Turns a clear-text password into what is stored (a salted slow hash).
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string Hash(std::string_view clear_text) = 0;
};

struct ListResult {
  int64_t total = 0;
  int64_t start_index = 1;
  std::vector<Json> resources;             // rendered and projected
  bool cursor_mode = false;                // RFC 9865 paging was asked for
  std::optional<std::string> next_cursor;  // cursor mode: set unless the last page
};

class ResourceService {
 public:
  ResourceService(const ResourceTypeDef& type, ResourceStore& store, Clock& clock, IdGenerator& ids,
                  PasswordHasher& hasher)
      : type_(type), store_(store), clock_(clock), ids_(ids), hasher_(hasher) {}

  const ResourceTypeDef& type() const { return type_; }

  // The writes take who makes them: the actor, request_id and client of
  // their audit rows (the other fields are filled here), also for a refusal.

  // POST. Errors: NormalizeResource's, 409 uniqueness, 400 for unknown members.
  Result<ResourceRecord> Create(const Json& body, const WriteAudit& who);

  // GET by id. Errors: 404.
  Result<ResourceRecord> Get(std::string_view id);

  // PUT: replaces every client-writable attribute (a password left out is
  // kept). if_match: the If-Match header ("" when absent). Errors: 404, 412,
  // those of Create.
  Result<ResourceRecord> Replace(std::string_view id, const Json& body, std::string_view if_match,
                                 const WriteAudit& who);

  // PATCH. Errors: ParsePatchRequest's and ApplyPatch's, 404, 412, 409.
  Result<ResourceRecord> Patch(std::string_view id, const Json& body, std::string_view if_match,
                               const WriteAudit& who);

  // DELETE. Errors: 404, 412.
  Result<void> Delete(std::string_view id, std::string_view if_match, const WriteAudit& who);

  // GET list / .search. Errors: 400 invalidFilter, invalidValue.
  Result<ListResult> List(const ListQuery& query, std::string_view base_url);

  // The representation of a record with its members (Groups) or groups
  // (Users), projected. Errors: 503 from the store.
  Result<Json> Render(const ResourceRecord& record, std::string_view base_url,
                      const Projection& projection);

 private:
  // audit: who and what operation; the changes are filled in.
  Result<ResourceRecord> CreateChecked(const Json& body, WriteAudit audit);
  Result<ResourceRecord> Update(
      std::string_view id, std::string_view if_match, WriteAudit audit,
      const std::function<Result<Json>(const ResourceRecord&, MemberDelta*)>& change);
  void HashPassword(Json* attributes, const Json* previous);
  // Groups: moves the member operations of a PATCH into *members and
  // returns the others.
  Result<std::vector<PatchOperation>> SplitMemberOps(std::string_view group_id,
                                                     const std::vector<PatchOperation>& ops,
                                                     MemberDelta* members);
  Result<void> ApplyMemberOp(std::string_view group_id, const PatchOperation& op,
                             MemberDelta* members);
  Result<Json> Related(const ResourceRecord& record, std::string_view base_url);

  const ResourceTypeDef& type_;
  ResourceStore& store_;
  Clock& clock_;
  IdGenerator& ids_;
  PasswordHasher& hasher_;

  // Audits a refusal (errors below 500 only) and passes the result on.
  template <typename T>
  Result<T> Refused(const WriteAudit& audit, std::string_view id, Result<T> r);
};

// Whether an If-Match value allows a write to a resource at version
// ("*", W/"n", "n", or a list of them).
bool IfMatchAllows(std::string_view if_match, int64_t version);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_RESOURCE_SERVICE_H_
