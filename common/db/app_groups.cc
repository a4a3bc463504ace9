#include "common/db/app_groups.h"

#include <deque>

namespace scim::db {
namespace {

std::string Q(const std::string& name) { return config::QuoteIdentifier(name); }

}  // namespace

std::optional<AppGroup> AppGroups::Find(soci::session& sql, const std::string& scim_id) const {
  AppGroup g;
  soci::indicator di = soci::i_ok;
  sql << "SELECT gl.app_key, gl.applied_version, CAST(g." + Q(m_.group_display_name) +
             " AS CHAR CHARACTER SET utf8mb4) FROM directory_group_links gl JOIN " +
             config::QuoteTable(m_.group_table) + " g ON g." + Q(m_.group_key) +
             " = gl.app_key WHERE gl.scim_id = :id FOR UPDATE",
      soci::into(g.key), soci::into(g.applied_version), soci::into(g.display_name, di),
      soci::use(scim_id);
  if (!sql.got_data()) return std::nullopt;
  if (di != soci::i_ok) g.display_name.clear();
  return g;
}

std::string AppGroups::Save(soci::session& sql, const std::string& scim_id,
                            const AppGroup& group) const {
  std::string table = config::QuoteTable(m_.group_table), key = group.key;
  if (key.empty()) {
    sql << "INSERT INTO " + table + " (" + Q(m_.group_display_name) + ") VALUES (:dn)",
        soci::use(group.display_name);
    long long id = 0;
    sql << "SELECT LAST_INSERT_ID()", soci::into(id);
    key = std::to_string(id);
  } else {
    sql << "UPDATE " + table + " SET " + Q(m_.group_display_name) + " = :dn WHERE " +
               Q(m_.group_key) + " = :k",
        soci::use(group.display_name), soci::use(key);
  }
  sql << "INSERT INTO directory_group_links (scim_id, app_key, applied_version, linked_at) "
         "VALUES (:id, :k, :v, NOW(3)) ON DUPLICATE KEY UPDATE app_key = VALUES(app_key), "
         "applied_version = VALUES(applied_version)",
      soci::use(scim_id), soci::use(key), soci::use(group.applied_version);
  return key;
}

std::string AppGroups::MembersWithRows() const {
  return " FROM scim_group_members s JOIN directory_links l ON l.scim_id = s.member_id JOIN " +
         users_.Table() + " a ON a." + Q(m_.key) +
         " = l.app_key LEFT JOIN directory_protected p ON p.app_key = l.app_key "
         "WHERE s.group_id = :gid AND s.member_type = 'User' AND p.app_key IS NULL";
}

void AppGroups::SyncMembers(soci::session& sql, const std::string& scim_id, const std::string& key,
                            const std::vector<std::string>* only) const {
  std::string members = config::QuoteTable(m_.member_table), mg = "m." + Q(m_.member_group),
              mu = "m." + Q(m_.member_user), ukey = "a." + Q(m_.member_user_key_or_key());
  // Without `only`, one pass over all members (list empty: no IN clause).
  constexpr size_t kChunk = 1000;
  size_t count = only ? only->size() : 1;
  for (size_t at = 0; at < count; at += kChunk) {
    std::deque<std::string> bound;
    std::string in;
    if (only) {
      for (size_t i = at; i < only->size() && i < at + kChunk; ++i) {
        in += (in.empty() ? ":i" : ",:i") + std::to_string(i - at);
        bound.push_back((*only)[i]);
      }
    }
    // Rows of users no longer in the SCIM group (of the touched users only,
    // with `only`), then the SCIM members not yet rows.
    std::string remove = "DELETE m FROM " + members + " m WHERE " + mg + " = :gk" +
                         (only ? " AND " + mu + " IN (SELECT " + ukey +
                                     " FROM directory_links l JOIN " + users_.Table() + " a ON a." +
                                     Q(m_.key) + " = l.app_key WHERE l.scim_id IN (" + in + "))"
                               : "") +
                         " AND NOT EXISTS (SELECT 1" + MembersWithRows() + " AND " + ukey + " = " +
                         mu + ")";
    std::string add = "INSERT INTO " + members + " (" + Q(m_.member_group) + ", " +
                      Q(m_.member_user) + ") SELECT :gk, " + ukey + MembersWithRows() +
                      (only ? " AND s.member_id IN (" + in + ")" : "") +
                      " AND NOT EXISTS (SELECT 1 FROM " + members + " m WHERE " + mg +
                      " = :gk2 AND " + mu + " = " + ukey + ")";
    for (bool is_add : {false, true}) {
      const std::string& text = is_add ? add : remove;
      soci::statement st(sql);
      std::string gk = key, gid = scim_id, gk2 = key;
      if (is_add) {
        st.exchange(soci::use(gk));
        st.exchange(soci::use(gid));
        for (auto& b : bound) st.exchange(soci::use(b));
        st.exchange(soci::use(gk2));
      } else {
        st.exchange(soci::use(gk));
        for (auto& b : bound) st.exchange(soci::use(b));
        st.exchange(soci::use(gid));
      }
      st.alloc();
      st.prepare(text);
      st.define_and_bind();
      st.execute(true);
    }
  }
}

void AppGroups::Delete(soci::session& sql, const std::string& scim_id) const {
  std::string key;
  soci::indicator ki = soci::i_ok;
  sql << "SELECT app_key FROM directory_group_links WHERE scim_id = :id FOR UPDATE",
      soci::into(key, ki), soci::use(scim_id);
  if (!sql.got_data()) return;
  sql << "DELETE FROM " + config::QuoteTable(m_.member_table) + " WHERE " + Q(m_.member_group) +
             " = :k",
      soci::use(key);
  sql << "DELETE FROM " + config::QuoteTable(m_.group_table) + " WHERE " + Q(m_.group_key) +
             " = :k",
      soci::use(key);
  sql << "DELETE FROM directory_group_links WHERE scim_id = :id", soci::use(scim_id);
}

std::string AppGroups::ReconcilePage() const {
  std::string members = config::QuoteTable(m_.member_table), mg = "m." + Q(m_.member_group),
              mu = "m." + Q(m_.member_user), ukey = "a." + Q(m_.member_user_key_or_key());
  std::string with_rows =
      " FROM scim_group_members s JOIN directory_links l ON l.scim_id = "
      "s.member_id JOIN " +
      users_.Table() + " a ON a." + Q(m_.key) +
      " = l.app_key LEFT JOIN directory_protected p ON p.app_key = "
      "l.app_key WHERE s.group_id = g.id AND s.member_type = 'User' AND "
      "p.app_key IS NULL";
  return "SELECT g.seq, g.id, g.display_name, g.version, dg." + Q(m_.group_key) +
         " IS NOT NULL, COALESCE(CAST(dg." + Q(m_.group_display_name) +
         " AS CHAR CHARACTER SET utf8mb4), ''), COALESCE(gl.app_key, ''), "
         "(SELECT COUNT(*)" +
         with_rows + " AND NOT EXISTS (SELECT 1 FROM " + members + " m WHERE " + mg + " = dg." +
         Q(m_.group_key) + " AND " + mu + " = " + ukey + ")), (SELECT COUNT(*) FROM " + members +
         " m WHERE " + mg + " = dg." + Q(m_.group_key) + " AND NOT EXISTS (SELECT 1" + with_rows +
         " AND " + ukey + " = " + mu +
         ")) FROM scim_groups g LEFT JOIN directory_group_links gl "
         "ON gl.scim_id = g.id LEFT JOIN " +
         config::QuoteTable(m_.group_table) + " dg ON dg." + Q(m_.group_key) +
         " = gl.app_key WHERE g.seq > :last ORDER BY g.seq LIMIT :n";
}

}  // namespace scim::db
