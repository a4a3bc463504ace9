// ResourceStore for Users on MySQL/MariaDB: scim_users, and in the same
// transaction the change_queue row of each write.
#ifndef SCIM_COMMON_DB_MYSQL_USER_STORE_H_
#define SCIM_COMMON_DB_MYSQL_USER_STORE_H_

#include <string>
#include <vector>

#include "common/db/adoption.h"
#include "common/db/connection.h"
#include "common/scim/store.h"

namespace scim::db {

// Inserts the scim_users rows of records, 500 to a statement (no
// change_queue row: the caller's transaction decides). InsertUserView: one.
// Errors as exceptions (1062 on a taken userName).
void InsertUserViews(soci::session& sql, const std::vector<const ResourceRecord*>& records);
void InsertUserView(soci::session& sql, const ResourceRecord& record);

// The SCIM view's active of a user; nullopt when the id is not in it.
std::optional<bool> ScimUserActive(soci::session& sql, const std::string& id);
// The positions (ascending) of the user_names that no SCIM user has and
// that no earlier one of the list equals, both as the scim_users column
// compares them (any case): the names that can be inserted together.
std::vector<size_t> FreeUserNames(soci::session& sql, const std::vector<std::string>& user_names);

class MysqlUserStore : public ResourceStore {
 public:
  // With an adopter, a query's lookups (StoreQuery::lookups) first adopt
  // the application's users they find (common/db/adoption.h), and Create
  // refuses a userName the application has (409 uniqueness).
  explicit MysqlUserStore(Connection& conn, const Adopter* adopter = nullptr)
      : conn_(conn), adopter_(adopter) {}

  Result<void> Create(const ResourceRecord& record, const MemberDelta* members,
                      const WriteAudit& audit) override;
  Result<ResourceRecord> Get(std::string_view id) override;
  Result<void> Update(const ResourceRecord& record, int64_t expected_version,
                      const MemberDelta* members, const WriteAudit& audit) override;
  Result<void> Delete(std::string_view id, int64_t expected_version, int64_t now_ms,
                      const WriteAudit& audit) override;
  void AuditRefusal(std::string_view id, const WriteAudit& audit) override;
  Result<Page> Query(const StoreQuery& query) override;
  Result<std::vector<MemberRef>> Related(std::string_view id) override;

 private:
  Result<void> TakenInTheApplication(soci::session& sql, const std::string& user_name);
  Result<Page> Read(const StoreQuery& query);  // the query alone, no adoption

  Connection& conn_;
  const Adopter* adopter_;
};

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_USER_STORE_H_
