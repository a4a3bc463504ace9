#include "common/db/mysql_token_store.h"

namespace scim::db {

Result<std::optional<auth::TokenInfo>> MysqlTokenStore::FindActive(std::string_view token_hash) {
  std::string hash(token_hash);
  return Guarded(conn_, [&](soci::session& sql) -> Result<std::optional<auth::TokenInfo>> {
    long long id = 0;
    std::string name, stored;
    sql << "SELECT id, name, token_hash FROM api_tokens WHERE token_hash = :h "
           "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3))",
        soci::into(id), soci::into(name), soci::into(stored), soci::use(hash);
    if (!sql.got_data() || !auth::ConstantTimeEquals(stored, hash)) {
      return std::optional<auth::TokenInfo>();
    }
    return std::optional<auth::TokenInfo>(auth::TokenInfo{id, name});
  });
}

Result<long long> MysqlTokenStore::Create(const std::string& name, const std::string& token_hash,
                                          const std::string& created_by, int64_t expires_ms) {
  long long expires = expires_ms;
  soci::indicator expires_i = expires_ms > 0 ? soci::i_ok : soci::i_null;
  return Guarded(conn_, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    sql << "INSERT INTO api_tokens (name, token_hash, created_at, created_by, expires_at) "
           "VALUES (:n, :h, NOW(3), :by, FROM_UNIXTIME(:e / 1000))",
        soci::use(name), soci::use(token_hash), soci::use(created_by),
        soci::use(expires, expires_i);
    long long id = 0;
    sql << "SELECT LAST_INSERT_ID()", soci::into(id);
    tr.commit();
    return id;
  });
}

void MysqlTokenStore::Touch(int64_t token_id) {
  auto now = std::chrono::steady_clock::now();
  auto it = touched_.find(token_id);
  if (it != touched_.end() && now - it->second < std::chrono::minutes(1)) return;
  touched_[token_id] = now;
  long long id = token_id;
  (void)Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "UPDATE api_tokens SET last_used_at = NOW(3) WHERE id = :id", soci::use(id);
    return {};
  });
}

std::vector<ListedToken> ListTokens(soci::session& sql) {
  soci::rowset<soci::row> rs =
      sql.prepare << "SELECT id, name, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                     "COALESCE(DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ'), '-'), "
                     "COALESCE(DATE_FORMAT(last_used_at, '%Y-%m-%dT%H:%i:%sZ'), '-'), "
                     "CASE WHEN revoked_at IS NOT NULL THEN 'revoked' "
                     "WHEN expires_at IS NOT NULL AND expires_at <= NOW(3) THEN 'expired' "
                     "ELSE 'active' END FROM api_tokens ORDER BY id";
  std::vector<ListedToken> tokens;
  for (const auto& row : rs) {
    tokens.push_back({static_cast<int64_t>(row.get<unsigned long long>(0)), row.get<std::string>(1),
                      row.get<std::string>(2), row.get<std::string>(3), row.get<std::string>(4),
                      row.get<std::string>(5)});
  }
  return tokens;
}

long long RevokeTokens(soci::session& sql, long long id, const std::string& name) {
  soci::statement st =
      (sql.prepare << "UPDATE api_tokens SET revoked_at = NOW(3) WHERE revoked_at IS NULL "
                      "AND (id = :id OR name = :name)",
       soci::use(id), soci::use(name));
  st.execute(true);
  return st.get_affected_rows();
}

}  // namespace scim::db
