// The storage interface behind the SCIM services, one instance per resource
// type. The MySQL implementations are in common/db/; tests use
// tests/fakes/fakes.h. Every write also enqueues the change (the payload of
// ChangePayload) in the same transaction.
#ifndef SCIM_COMMON_SCIM_STORE_H_
#define SCIM_COMMON_SCIM_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/filter.h"
#include "common/scim/resource.h"

namespace scim {

// Indexed columns a store can filter and sort on. Each maps to a fixed
// column name inside the store: nothing from a request becomes SQL.
enum class Column {
  kId,
  kUserName,
  kExternalId,
  kDisplayName,
  kGivenName,
  kFamilyName,
  kEmail,
  kCreated,
  kLastModified,
};

// One SQL-evaluable condition. value: a string, or milliseconds since the
// epoch for kCreated / kLastModified. Comparisons on text columns follow
// the column's collation (case-insensitive except id and externalId); co,
// sw and ew are LIKE patterns. Conditions only narrow: the service still
// evaluates the filter exactly on what they return.
struct Condition {
  Column column;
  CompareOp op;
  Json value;
};

struct StoreQuery {
  std::vector<Condition> conditions;  // ANDed
  std::optional<Column> sort;         // default: creation order
  bool descending = false;
  int64_t offset = 0;     // rows to skip
  int64_t limit = -1;     // -1: all of them
  int64_t after_seq = 0;  // only records with seq > after_seq (not in total)
  // Users: the equalities the filter looks a user up by (kUserName,
  // kExternalId, kEmail for emails.value; op kEq). Not conditions: the
  // store may first make the application's users that match them SCIM
  // resources (adoption, DESIGN §5a), then answers the query as ever.
  std::vector<Condition> lookups;
};

struct Page {
  int64_t total = 0;  // rows matching the conditions
  std::vector<ResourceRecord> records;
};

// A change of a group's members: replace them all, or add/remove some.
// Costs O(members changed), whatever the group's size.
struct MemberDelta {
  bool replace = false;
  std::vector<std::string> add;     // ids; with replace, the whole new set
  std::vector<std::string> remove;  // ids
  bool empty() const { return !replace && add.empty() && remove.empty(); }
};

// Who wrote, and what: one audit_log row per SCIM write, written in the
// write's own transaction (or on its own for a refused write).
struct WriteAudit {
  std::string actor;           // the token's name
  std::string request_id;      // nginx's $request_id
  std::string client;          // the client address
  std::string operation;       // create, replace, patch, delete
  std::string changes;         // compact JSON diff; never a password or token
  std::string outcome = "ok";  // or the HTTP status of a refusal
  std::string detail;          // the error detail of a refusal
};

// expected_version for a group change that touches members only: member
// changes commute, so the store locks the row, keeps its stored attributes
// and sets version = stored + 1 instead of checking (no spurious 412 when
// an IdP patches one group from many connections at once).
inline constexpr int64_t kAnyVersion = -1;

class ResourceStore {
 public:
  virtual ~ResourceStore() = default;

  // Errors: 409 uniqueness (userName / displayName rules of the type),
  // 400 invalidValue for a member id that names no resource, 503.
  virtual Result<void> Create(const ResourceRecord& record, const MemberDelta* members,
                              const WriteAudit& audit) = 0;

  // Errors: 404.
  virtual Result<ResourceRecord> Get(std::string_view id) = 0;

  // Stores record (whose version is expected_version + 1) if the stored
  // version is still expected_version. Errors: 412 when it changed
  // meanwhile, 404, 409, 400 as Create.
  virtual Result<void> Update(const ResourceRecord& record, int64_t expected_version,
                              const MemberDelta* members, const WriteAudit& audit) = 0;

  // Removes the resource (and its memberships) and enqueues a tombstone
  // with version expected_version + 1. Errors: 404, 412.
  virtual Result<void> Delete(std::string_view id, int64_t expected_version, int64_t now_ms,
                              const WriteAudit& audit) = 0;

  // Records a refused write (best effort; never fails the request).
  virtual void AuditRefusal(std::string_view id, const WriteAudit& audit) = 0;

  virtual Result<Page> Query(const StoreQuery& query) = 0;

  // Groups: their members. Users: the groups they are direct members of.
  virtual Result<std::vector<MemberRef>> Related(std::string_view id) = 0;
};

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_STORE_H_
