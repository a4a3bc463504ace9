// User-specific pieces: the values the store keeps in indexed columns.
// Pure.
#ifndef SCIM_COMMON_SCIM_USER_H_
#define SCIM_COMMON_SCIM_USER_H_

#include <string>

#include "common/scim/json.h"

namespace scim {

// Derived from a user's normalised attributes.
struct UserColumns {
  std::string user_name;
  std::string external_id;
  std::string display_name;
  std::string given_name;
  std::string family_name;
  std::string email;  // the primary email, else the first
  std::string user_type;
  std::string title;
  std::string department;  // the enterprise extension's
  bool active = true;
};

UserColumns ColumnsOf(const Json& attributes);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_USER_H_
