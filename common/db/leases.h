// Named leases (sql/008, scimsync_leases): a lock that holds across hosts
// and across the nodes of a Galera cluster, where GET_LOCK() and row locks
// are local to one node. A lease is taken with an expiry, renewed by its
// holder while it works and released at the end; a holder that died frees
// it when it expires. The only code that touches the table. Every time is
// the database server's NOW(3).
#ifndef SCIM_COMMON_DB_LEASES_H_
#define SCIM_COMMON_DB_LEASES_H_

#include <chrono>
#include <string>

#include "common/db/connection.h"

namespace scim::db {

// The holder name of this process: "host:pid:random".
std::string LeaseHolder();

// Takes the lease `name` for holder when it is free, expired or already
// the holder's, for ttl. False (and *current set to its holder) when
// another holds it. On Galera, of two nodes taking it at once one commit
// fails certification; the retry then sees the winner.
Result<bool> AcquireLease(Connection& conn, const std::string& name, const std::string& holder,
                          std::chrono::seconds ttl, std::string* current = nullptr);

// Extends the holder's lease by ttl from now. False when it is not the
// holder's any more (it expired and another took it).
Result<bool> RenewLease(Connection& conn, const std::string& name, const std::string& holder,
                        std::chrono::seconds ttl);

// Frees the lease if holder has it.
Result<void> ReleaseLease(Connection& conn, const std::string& name, const std::string& holder);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_LEASES_H_
