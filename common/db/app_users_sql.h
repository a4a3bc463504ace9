// Helpers shared by app_users.cc (reads) and app_users_write.cc (writes):
// the DirectoryUser field of a mapped text attribute, and values bound to
// a statement built piece by piece. Internal to common/db/app_users*.
#ifndef SCIM_COMMON_DB_APP_USERS_SQL_H_
#define SCIM_COMMON_DB_APP_USERS_SQL_H_

#include <soci/soci.h>

#include <deque>
#include <string>

#include "common/config/directory_mapping.h"
#include "common/sync/directory_user.h"

namespace scim::db::app_sql {

inline soci::indicator NullIfEmpty(const std::string& s) {
  return s.empty() ? soci::i_null : soci::i_ok;
}

inline bool IsTimestamp(config::Attr a) {
  return a == config::Attr::kCreatedAt || a == config::Attr::kUpdatedAt;
}

// The field of u that holds a text attribute; nullptr for active, role and
// the timestamps.
inline std::string* Field(sync::DirectoryUser* u, config::Attr a) {
  using config::Attr;
  switch (a) {
    case Attr::kUserName:
      return &u->user_name;
    case Attr::kGivenName:
      return &u->given_name;
    case Attr::kFamilyName:
      return &u->family_name;
    case Attr::kDisplayName:
      return &u->display_name;
    case Attr::kEmail:
      return &u->email;
    case Attr::kExternalId:
      return &u->external_id;
    case Attr::kDepartment:
      return &u->department;
    case Attr::kTitle:
      return &u->title;
    default:
      return nullptr;
  }
}

// Values bound to one statement, alive as long as it is (deques never
// move their elements).
struct Binds {
  std::deque<std::string> strings;
  std::deque<long long> numbers;
  std::deque<soci::indicator> inds;
  // Binds v as the next placeholder; returns its name (":b<n>").
  std::string Add(soci::statement& st, const std::string& v, bool null_if_empty) {
    strings.push_back(v);
    inds.push_back(null_if_empty ? NullIfEmpty(v) : soci::i_ok);
    st.exchange(soci::use(strings.back(), inds.back()));
    return ":b" + std::to_string(strings.size() + numbers.size());
  }
  std::string AddNumber(soci::statement& st, long long v) {
    numbers.push_back(v);
    st.exchange(soci::use(numbers.back()));
    return ":b" + std::to_string(strings.size() + numbers.size());
  }
};

inline void Run(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(true);
}

}  // namespace scim::db::app_sql

#endif  // SCIM_COMMON_DB_APP_USERS_SQL_H_
