// /Bulk (RFC 7644 §3.7): runs a BulkRequest's operations against the
// services, each in its own transaction (bulk is not atomic), resolving
// "bulkId:<id>" references to the ids of resources created earlier in the
// same request. Pure over the services' stores.
#ifndef SCIM_COMMON_SCIM_BULK_H_
#define SCIM_COMMON_SCIM_BULK_H_

#include <string_view>

#include "common/scim/error.h"
#include "common/scim/json.h"
#include "common/scim/resource_service.h"

namespace scim {

// Runs the request and returns the BulkResponse. An operation that refers
// to a bulkId created later runs after it; one whose reference never
// resolves fails with 409. Processing stops once failOnErrors operations
// have failed. Errors (of the whole request): 400 invalidSyntax for a body
// that is not a BulkRequest, 413 over kMaxBulkOperations. who: as for the
// services' writes.
Result<Json> RunBulk(const Json& request, ResourceService& users, ResourceService& groups,
                     std::string_view base_url, const WriteAudit& who);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_BULK_H_
