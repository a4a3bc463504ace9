// Values bound to a statement built piece by piece (a multi-row INSERT, an
// IN list): each value added becomes the next placeholder and stays alive
// as long as the statement. Shared by the writers of many rows at once
// (app_users*, mysql_user_store, sync_rows, adoption).
#ifndef SCIM_COMMON_DB_STATEMENT_BINDS_H_
#define SCIM_COMMON_DB_STATEMENT_BINDS_H_

#include <soci/soci.h>

#include <deque>
#include <string>

namespace scim::db::stmt {

inline soci::indicator NullIfEmpty(const std::string& s) {
  return s.empty() ? soci::i_null : soci::i_ok;
}

// Deques never move their elements, so the bound addresses stay valid.
// Values bind in the order Add is called: call it once per C++ statement
// (`out += ", " + b.Add(…);`), as the operands of one `+` expression are
// evaluated in no fixed order.
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

// Prepares and runs st (its values bound) as text.
inline void Run(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(true);
}

}  // namespace scim::db::stmt

#endif  // SCIM_COMMON_DB_STATEMENT_BINDS_H_
