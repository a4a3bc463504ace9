#include "common/db/leases.h"

#include <unistd.h>

#include <cstdio>

#include "common/util/system.h"

namespace scim::db {

std::string LeaseHolder() {
  unsigned char r[4];
  util::RandomBytes(r, sizeof r);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
  return util::HostName() + ":" + std::to_string(::getpid()) + ":" + hex;
}

Result<bool> AcquireLease(Connection& conn, const std::string& name, const std::string& holder,
                          std::chrono::seconds ttl, std::string* current) {
  long long seconds = ttl.count();
  return Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    sql << "INSERT IGNORE INTO scimsync_leases (name, holder, expires_at) "
           "VALUES (:n, '', '1970-01-02')",
        soci::use(name);
    soci::statement st =
        (sql.prepare << "UPDATE scimsync_leases SET holder = :h, acquired_at = NOW(3), "
                        "expires_at = NOW(3) + INTERVAL :s SECOND "
                        "WHERE name = :n AND (expires_at < NOW(3) OR holder = :h2)",
         soci::use(holder), soci::use(seconds), soci::use(name), soci::use(holder));
    st.execute(true);
    bool taken = st.get_affected_rows() == 1;
    if (!taken && current) {
      sql << "SELECT holder FROM scimsync_leases WHERE name = :n", soci::into(*current),
          soci::use(name);
    }
    tr.commit();
    return taken;
  });
}

Result<bool> RenewLease(Connection& conn, const std::string& name, const std::string& holder,
                        std::chrono::seconds ttl) {
  long long seconds = ttl.count();
  return Guarded(conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    soci::statement st =
        (sql.prepare << "UPDATE scimsync_leases SET expires_at = NOW(3) + INTERVAL :s SECOND "
                        "WHERE name = :n AND holder = :h",
         soci::use(seconds), soci::use(name), soci::use(holder));
    st.execute(true);
    bool held = st.get_affected_rows() == 1;
    tr.commit();
    return held;
  });
}

Result<void> ReleaseLease(Connection& conn, const std::string& name, const std::string& holder) {
  return Guarded(conn, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    sql << "UPDATE scimsync_leases SET holder = '', expires_at = NOW(3) - INTERVAL 1 SECOND "
           "WHERE name = :n AND holder = :h",
        soci::use(name), soci::use(holder);
    tr.commit();
    return {};
  });
}

}  // namespace scim::db
