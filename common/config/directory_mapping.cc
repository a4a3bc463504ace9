#include "common/config/directory_mapping.h"

#include <functional>
#include <map>

#include "common/scim/text.h"

namespace scim::config {
namespace {

// Every item of a comma-separated value, trimmed, empty ones included:
// unlike SplitList, a trailing comma is an empty item here, which the
// value/role lists refuse.
std::vector<std::string_view> SplitCommas(std::string_view s) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t comma = s.find(',');
    out.push_back(Trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    s.remove_prefix(comma + 1);
  }
}

constexpr std::array<std::string_view, kAttrCount> kAttrNames = {
    "user_name",  "given_name", "family_name", "display_name", "email",      "external_id",
    "department", "title",      "active",      "role",         "created_at", "updated_at"};

ScimError Bad(std::string_view key, std::string_view what) {
  return InvalidValue(std::string(key) + " takes " + std::string(what));
}

Result<std::string> Identifier(std::string_view key, std::string_view v) {
  if (!v.empty() && !IsIdentifier(v)) {
    return Bad(key, "a column name of letters, digits, '_' and '$' (at most 64), or nothing");
  }
  return std::string(v);
}

Result<TableName> ParseTable(std::string_view key, std::string_view v) {
  if (v.empty()) return TableName{};
  size_t dot = v.find('.');
  TableName t;
  t.table = std::string(dot == std::string_view::npos ? v : v.substr(dot + 1));
  if (dot != std::string_view::npos) t.schema = std::string(v.substr(0, dot));
  bool schema_ok = dot == std::string_view::npos || IsIdentifier(t.schema);
  if (!schema_ok || !IsIdentifier(t.table)) {
    return Bad(key, "[schema.]table, each of letters, digits, '_' and '$' (at most 64)");
  }
  return t;
}

Result<void> SetActiveValues(DirectoryMapping* m, std::string_view key, std::string_view v) {
  if (v.empty()) {
    m->active_value.clear();
    m->inactive_value.clear();
    return {};
  }
  auto parts = SplitCommas(v);
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty() || EqualsCi(parts[0], parts[1])) {
    return Bad(key, "two different values: the one meaning active, then inactive (\"1, 0\")");
  }
  m->active_value = std::string(parts[0]);
  m->inactive_value = std::string(parts[1]);
  return {};
}

Result<void> SetRoleValues(DirectoryMapping* m, std::string_view key, std::string_view v) {
  m->role_values = {};
  if (v.empty()) return {};
  constexpr std::string_view kWhat =
      "Registered=VALUE, Moderator=VALUE, Admin=VALUE: each role once, three different values";
  std::array<std::string, 3> values;
  for (std::string_view part : SplitCommas(v)) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return Bad(key, kWhat);
    auto role = sync::ParseRole(Trim(part.substr(0, eq)));
    std::string_view value = Trim(part.substr(eq + 1));
    if (!role || value.empty() || !values[static_cast<int>(*role)].empty()) return Bad(key, kWhat);
    values[static_cast<int>(*role)] = std::string(value);
  }
  for (size_t i = 0; i < 3; ++i) {
    if (values[i].empty() || EqualsCi(values[i], values[(i + 1) % 3])) return Bad(key, kWhat);
  }
  m->role_values = std::move(values);
  return {};
}

using Setter = std::function<Result<void>(DirectoryMapping*, std::string_view, std::string_view)>;

Setter Table(TableName DirectoryMapping::*field) {
  return [field](DirectoryMapping* m, std::string_view key, std::string_view v) -> Result<void> {
    auto t = ParseTable(key, v);
    if (!t.ok()) return t.error();
    m->*field = std::move(t.value());
    return {};
  };
}

Setter Column(std::string DirectoryMapping::*field) {
  return [field](DirectoryMapping* m, std::string_view key, std::string_view v) -> Result<void> {
    auto id = Identifier(key, v);
    if (!id.ok()) return id.error();
    m->*field = std::move(id.value());
    return {};
  };
}

Result<void> SetGroups(DirectoryMapping* m, std::string_view key, std::string_view v) {
  if (!EqualsCi(v, "tables") && !EqualsCi(v, "none")) return Bad(key, "tables or none");
  m->groups = EqualsCi(v, "tables");
  return {};
}

const std::map<std::string, Setter, std::less<>>& Keys() {
  using M = DirectoryMapping;
  static const auto* keys = new std::map<std::string, Setter, std::less<>>{
      {"directory.table", Table(&M::table)},
      {"directory.key", Column(&M::key)},
      {"directory.active_values", SetActiveValues},
      {"directory.role_values", SetRoleValues},
      {"directory.groups", SetGroups},
      {"directory.group_table", Table(&M::group_table)},
      {"directory.group_key", Column(&M::group_key)},
      {"directory.group_column.display_name", Column(&M::group_display_name)},
      {"directory.member_table", Table(&M::member_table)},
      {"directory.member_column.group", Column(&M::member_group)},
      {"directory.member_column.user", Column(&M::member_user)},
      {"directory.member_user_key", Column(&M::member_user_key)},
  };
  return *keys;
}

Result<void> RequireUsersKeys(const DirectoryMapping& m) {
  std::vector<std::string> missing;
  if (m.table.table.empty()) missing.push_back("directory.table");
  if (m.key.empty()) missing.push_back("directory.key");
  for (Attr a : {Attr::kUserName, Attr::kActive}) {
    if (!m.mapped(a)) missing.push_back("directory.column." + std::string(AttrName(a)));
  }
  if (m.active_value.empty()) missing.push_back("directory.active_values");
  if (m.mapped(Attr::kRole) && m.role_values[0].empty()) {
    missing.push_back("directory.role_values (directory.column.role is set)");
  }
  if (missing.empty()) return {};
  std::string list;
  for (const auto& k : missing) list += (list.empty() ? "" : ", ") + k;
  return InvalidValue("the directory mapping needs " + list +
                      " (any directory.* key replaces the whole embedded mapping)");
}

// No column named for two attributes, and the key never a written column
// (a key that scimsync rewrites, on a rename say, would lose the row).
Result<void> RequireDistinctColumns(const DirectoryMapping& m) {
  if (!m.mapped(Attr::kRole) && !m.role_values[0].empty()) {
    return InvalidValue("directory.role_values is set but directory.column.role is not");
  }
  std::vector<Attr> mapped = MappedAttrs(m);
  for (size_t i = 0; i < mapped.size(); ++i) {
    std::string key_i = "directory.column." + std::string(AttrName(mapped[i]));
    if (EqualsCi(m.column(mapped[i]), m.key)) {
      return InvalidValue(key_i + " names the key column " + m.key +
                          ": the key must be a column scimsync never writes");
    }
    for (size_t j = i + 1; j < mapped.size(); ++j) {
      if (!EqualsCi(m.column(mapped[i]), m.column(mapped[j]))) continue;
      return InvalidValue(key_i + " and directory.column." + std::string(AttrName(mapped[j])) +
                          " both name column " + m.column(mapped[i]));
    }
  }
  return {};
}

bool SameTable(const TableName& a, const TableName& b) {
  return EqualsCi(a.schema, b.schema) && a.table == b.table;
}

Result<void> RequireGroupKeys(const DirectoryMapping& m) {
  const std::pair<const char*, bool> keys[] = {
      {"directory.group_table", !m.group_table.table.empty()},
      {"directory.group_key", !m.group_key.empty()},
      {"directory.group_column.display_name", !m.group_display_name.empty()},
      {"directory.member_table", !m.member_table.table.empty()},
      {"directory.member_column.group", !m.member_group.empty()},
      {"directory.member_column.user", !m.member_user.empty()},
      {"directory.member_user_key", !m.member_user_key.empty()}};
  for (const auto& [key, set] : keys) {
    if (!m.groups && set)
      return InvalidValue(std::string(key) + " is set but directory.groups = none");
    if (m.groups && !set && std::string_view(key) != "directory.member_user_key") {
      return InvalidValue(std::string(key) + " is required with directory.groups = tables");
    }
  }
  if (!m.groups) return {};
  if (SameTable(m.group_table, m.table) || SameTable(m.member_table, m.table) ||
      SameTable(m.member_table, m.group_table)) {
    return InvalidValue(
        "directory.table, directory.group_table and directory.member_table must "
        "be three different tables");
  }
  if (EqualsCi(m.group_key, m.group_display_name)) {
    return InvalidValue(
        "directory.group_key and directory.group_column.display_name name one "
        "column: the key must be a column scimsync never writes");
  }
  if (EqualsCi(m.member_group, m.member_user)) {
    return InvalidValue(
        "directory.member_column.group and directory.member_column.user name one "
        "column");
  }
  return {};
}

}  // namespace

const std::array<Attr, kAttrCount>& AllAttrs() {
  static constexpr std::array<Attr, kAttrCount> kAll = {
      Attr::kUserName, Attr::kGivenName,  Attr::kFamilyName, Attr::kDisplayName,
      Attr::kEmail,    Attr::kExternalId, Attr::kDepartment, Attr::kTitle,
      Attr::kActive,   Attr::kRole,       Attr::kCreatedAt,  Attr::kUpdatedAt};
  return kAll;
}

std::string_view AttrName(Attr attr) { return kAttrNames[static_cast<size_t>(attr)]; }

DirectoryMapping BundledDirectoryMapping() {
  DirectoryMapping m;
  m.table = {"", "directory_users"};
  m.key = "id";
  for (Attr a : {Attr::kUserName, Attr::kGivenName, Attr::kFamilyName, Attr::kDisplayName,
                 Attr::kEmail, Attr::kActive, Attr::kRole, Attr::kCreatedAt, Attr::kUpdatedAt}) {
    m.columns[static_cast<size_t>(a)] = std::string(AttrName(a));
  }
  m.active_value = "1";
  m.inactive_value = "0";
  m.role_values = {"Registered", "Moderator", "Admin"};
  m.groups = true;
  m.group_table = {"", "directory_groups"};
  m.group_key = "id";
  m.group_display_name = "display_name";
  m.member_table = {"", "directory_group_members"};
  m.member_group = "group_id";
  m.member_user = "user_id";
  return m;
}

Result<void> SetDirectoryKey(DirectoryMapping* m, std::string_view key, std::string_view value) {
  constexpr std::string_view kColumn = "directory.column.";
  if (key.substr(0, kColumn.size()) == kColumn) {
    for (Attr a : AllAttrs()) {
      if (key.substr(kColumn.size()) != AttrName(a)) continue;
      auto id = Identifier(key, value);
      if (!id.ok()) return id.error();
      m->columns[static_cast<size_t>(a)] = std::move(id.value());
      return {};
    }
  }
  auto it = Keys().find(key);
  if (it == Keys().end()) return NotFound("unknown key '" + std::string(key) + "'");
  return it->second(m, key, value);
}

bool IsIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string QuoteTable(const TableName& t) {
  return t.schema.empty() ? QuoteIdentifier(t.table)
                          : QuoteIdentifier(t.schema) + "." + QuoteIdentifier(t.table);
}

std::string TableText(const TableName& t, std::string_view default_schema) {
  return (t.schema.empty() ? std::string(default_schema) : t.schema) + "." + t.table;
}

std::vector<Attr> MappedAttrs(const DirectoryMapping& m) {
  std::vector<Attr> out;
  for (Attr a : AllAttrs()) {
    if (m.mapped(a)) out.push_back(a);
  }
  return out;
}

std::string SelectList(const DirectoryMapping& m, std::string_view alias) {
  std::string prefix = alias.empty() ? "" : QuoteIdentifier(alias) + ".";
  std::string out = prefix + QuoteIdentifier(m.key);
  for (Attr a : MappedAttrs(m)) out += ", " + prefix + QuoteIdentifier(m.column(a));
  return out;
}

std::optional<bool> ActiveFromColumn(const DirectoryMapping& m, std::string_view value) {
  if (EqualsCi(value, m.active_value)) return true;
  if (EqualsCi(value, m.inactive_value)) return false;
  return std::nullopt;
}

const std::string& ActiveToColumn(const DirectoryMapping& m, bool active) {
  return active ? m.active_value : m.inactive_value;
}

std::optional<sync::Role> RoleFromColumn(const DirectoryMapping& m, std::string_view value) {
  if (!m.mapped(Attr::kRole)) return std::nullopt;
  for (auto r : {sync::Role::kRegistered, sync::Role::kModerator, sync::Role::kAdmin}) {
    if (EqualsCi(value, m.role_value(r))) return r;
  }
  return std::nullopt;
}

Result<void> ValidateMapping(const DirectoryMapping& m) {
  for (auto check : {RequireUsersKeys, RequireDistinctColumns, RequireGroupKeys}) {
    auto r = check(m);
    if (!r.ok()) return r;
  }
  return {};
}

const std::string& RoleToColumn(const DirectoryMapping& m, sync::Role role) {
  return m.role_value(role);
}

}  // namespace scim::config
