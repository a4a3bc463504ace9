#include "common/ops/directory_check.h"

#include <charconv>
#include <cstdlib>
#include <utility>

#include "common/scim/text.h"

namespace scim::ops {
namespace {

using config::Attr;
using config::DirectoryMapping;

bool Is(std::string_view type, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (type == n) return true;
  }
  return false;
}

bool IsCharacterType(std::string_view t) {
  return Is(t, {"char", "varchar", "tinytext", "text", "mediumtext", "longtext"});
}

// The members of an ENUM/SET from its COLUMN_TYPE: enum('a','it''s').
std::vector<std::string> EnumMembers(std::string_view column_type) {
  std::vector<std::string> out;
  size_t i = column_type.find('(');
  while (i != std::string_view::npos && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
    std::string member;
    for (i += 2; i < column_type.size(); ++i) {
      if (column_type[i] != '\'') {
        member += column_type[i];
      } else if (i + 1 < column_type.size() && column_type[i + 1] == '\'') {
        member += column_type[++i];
      } else {
        break;
      }
    }
    out.push_back(std::move(member));
    ++i;  // now at ',' or ')'
    if (i >= column_type.size() || column_type[i] != ',') break;
  }
  return out;
}

std::string Quoted(std::string_view v) { return "'" + std::string(v) + "'"; }

std::optional<std::string> NotAMember(const ColumnFacts& c, std::string_view value) {
  std::string list;
  for (const auto& member : EnumMembers(c.column_type)) {
    if (member == value) return std::nullopt;
    if (EqualsCi(member, value)) {
      return Quoted(value) + " is spelled " + Quoted(member) + " in " + c.name + " " +
             c.column_type + ": use that spelling";
    }
  }
  return Quoted(value) + " is not allowed by " + c.name + " " + c.column_type;
}

struct IntRange {
  long long min, max;
};

std::optional<IntRange> RangeOf(const ColumnFacts& c) {
  bool u = c.column_type.find("unsigned") != std::string::npos;
  const std::string& t = c.data_type;
  if (t == "tinyint") return u ? IntRange{0, 255} : IntRange{-128, 127};
  if (t == "smallint") return u ? IntRange{0, 65535} : IntRange{-32768, 32767};
  if (t == "mediumint") return u ? IntRange{0, 16777215} : IntRange{-8388608, 8388607};
  if (t == "int" || t == "integer") {
    return u ? IntRange{0, 4294967295LL} : IntRange{-2147483648LL, 2147483647LL};
  }
  if (t == "bigint") return IntRange{u ? 0 : INT64_MIN, INT64_MAX};
  return std::nullopt;
}

std::optional<std::string> NotAnInteger(const ColumnFacts& c, IntRange range,
                                        std::string_view value) {
  long long x = 0;
  auto r = std::from_chars(value.data(), value.data() + value.size(), x);
  if (r.ec == std::errc() && r.ptr == value.data() + value.size() && x >= range.min &&
      x <= range.max) {
    return std::nullopt;
  }
  return Quoted(value) + " cannot be stored in " + c.name + " " + c.column_type +
         " (a whole number from " + std::to_string(range.min) + " to " + std::to_string(range.max) +
         ")";
}

// Characters of a UTF-8 text (continuation bytes not counted).
long long Utf8Length(std::string_view s) {
  long long n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

enum class Stmt { kSelect, kInsert, kUpdate, kDelete };

// Walks the mapping key by key, collecting problems.
class Checker {
 public:
  Checker(const DirectoryMapping& m, const DirectoryFacts& f) : m_(m), f_(f) {}

  std::vector<Problem> Run() {
    if (UsableTable("directory.table", f_.users,
                    {Stmt::kSelect, Stmt::kInsert, Stmt::kUpdate, Stmt::kDelete})) {
      CheckUsers();
    }
    if (!m_.groups) return std::move(out_);
    if (UsableTable("directory.group_table", f_.groups,
                    {Stmt::kSelect, Stmt::kInsert, Stmt::kUpdate, Stmt::kDelete})) {
      CheckKey("directory.group_key", f_.groups, m_.group_key);
      CheckText("directory.group_column.display_name", f_.groups, m_.group_display_name, false);
    }
    if (UsableTable("directory.member_table", f_.members,
                    {Stmt::kSelect, Stmt::kInsert, Stmt::kDelete})) {
      Find("directory.member_column.group", f_.members, m_.member_group);
      Find("directory.member_column.user", f_.members, m_.member_user);
    }
    return std::move(out_);
  }

 private:
  void Add(Level level, std::string key, std::string detail) {
    out_.push_back({level, std::move(key), std::move(detail)});
  }

  // Visible, and every statement allowed. A refused DELETE on the users
  // table is a warning: only delete_behaviour = delete needs it.
  bool UsableTable(const std::string& key, const MappedTableFacts& t,
                   std::initializer_list<Stmt> needed) {
    if (!t.table_visible) {
      std::string why = t.schema_visible
                            ? "table " + t.name + " not found"
                            : "schema " + t.name.substr(0, t.name.find('.')) + " not found";
      Add(Level::kError, key,
          why + ", or the account " + f_.account + " has no privilege on it" +
              (t.select_error.empty() ? "" : " (server: " + t.select_error + ")"));
      return false;
    }
    static constexpr const char* kNames[] = {"SELECT from", "INSERT into", "UPDATE", "DELETE from"};
    for (Stmt s : needed) {
      const std::string* error[] = {&t.select_error, &t.insert_error, &t.update_error,
                                    &t.delete_error};
      const std::string& e = *error[static_cast<int>(s)];
      if (e.empty()) continue;
      bool soft = s == Stmt::kDelete && &t == &f_.users;
      Add(soft ? Level::kWarning : Level::kError, key,
          "the account " + f_.account + " cannot " + kNames[static_cast<int>(s)] + " " + t.name +
              (soft ? " (needed only with delete_behaviour = delete)" : "") + ": " + e);
    }
    return true;
  }

  const ColumnFacts* Find(const std::string& key, const MappedTableFacts& t,
                          const std::string& name) {
    for (const auto& c : t.columns) {
      if (EqualsCi(c.name, name)) return &c;
    }
    Add(Level::kError, key, "no column " + name + " in " + t.name);
    return nullptr;
  }

  // The userName column should be a UNIQUE key: the IdP's lookups (and
  // adoption) go through it, and two rows with one userName are one SCIM
  // user too many.
  void CheckUserNameUnique() {
    const std::string& name = m_.column(Attr::kUserName);
    bool column = false, unique = false;
    for (const auto& c : f_.users.columns) column = column || EqualsCi(c.name, name);
    for (const auto& u : f_.users.unique_columns) unique = unique || EqualsCi(u, name);
    if (column && !unique) {
      Add(Level::kWarning, "directory.column.user_name",
          f_.users.name + "." + name +
              " is not a UNIQUE key: each userName lookup scans the table, and two rows "
              "with one userName cannot both be SCIM users");
    }
  }

  // A column that alone is a PRIMARY or UNIQUE key. warn_nullable: a NULL
  // there leaves a row without a key (not said of member_user_key: the
  // bundled directory_users.scim_id is NULL for users SCIM never wrote).
  void CheckKey(const std::string& key, const MappedTableFacts& t, const std::string& name,
                bool warn_nullable = true) {
    const ColumnFacts* c = Find(key, t, name);
    if (!c) return;
    bool unique = false;
    for (const auto& u : t.unique_columns) unique = unique || EqualsCi(u, name);
    if (!unique) {
      Add(Level::kError, key,
          t.name + "." + c->name + " is not a PRIMARY or UNIQUE key (on that column alone)");
    } else if (c->nullable && warn_nullable) {
      Add(Level::kWarning, key,
          t.name + "." + c->name +
              " allows NULL: rows without it cannot "
              "be told apart");
    }
  }

  // Exists, is written (not generated) and holds text; a userName or email
  // column under 255 characters is a warning.
  const ColumnFacts* CheckText(const std::string& key, const MappedTableFacts& t,
                               const std::string& name, bool want_255) {
    const ColumnFacts* c = Writable(key, t, name);
    if (!c) return nullptr;
    if (!IsCharacterType(c->data_type)) {
      Add(Level::kError, key,
          t.name + "." + c->name + " is " + c->column_type + ", not a character column");
    } else if (want_255 && c->max_length < 255) {
      Add(Level::kWarning, key,
          t.name + "." + c->name + " is " + c->column_type +
              ": longer values (up to 255 characters) will not fit");
    }
    return c;
  }

  const ColumnFacts* Writable(const std::string& key, const MappedTableFacts& t,
                              const std::string& name) {
    const ColumnFacts* c = Find(key, t, name);
    if (c && c->generated) {
      Add(Level::kError, key,
          t.name + "." + c->name +
              " is a generated column: it cannot be "
              "written");
      return nullptr;
    }
    return c;
  }

  void CheckValues(const std::string& key, Attr attr, const std::vector<std::string>& values) {
    std::string col_key = "directory.column." + std::string(config::AttrName(attr));
    const ColumnFacts* c = Writable(col_key, f_.users, m_.column(attr));
    if (!c) return;
    ColumnFacts named = *c;  // messages name the table too
    named.name = f_.users.name + "." + c->name;
    for (const auto& v : values) {
      if (auto why = WhyValueDoesNotFit(named, v)) Add(Level::kError, key, *why);
    }
  }

  void CheckTimestamp(Attr attr) {
    std::string key = "directory.column." + std::string(config::AttrName(attr));
    const ColumnFacts* c = Writable(key, f_.users, m_.column(attr));
    if (c && !Is(c->data_type, {"datetime", "timestamp"})) {
      Add(Level::kError, key,
          f_.users.name + "." + c->name + " is " + c->column_type + ", not DATETIME or TIMESTAMP");
    }
  }

  void CheckUsers();
  void CheckUnmappedRequired();

  const DirectoryMapping& m_;
  const DirectoryFacts& f_;
  std::vector<Problem> out_;
};

void Checker::CheckUsers() {
  CheckKey("directory.key", f_.users, m_.key);
  for (Attr a : config::MappedAttrs(m_)) {
    std::string key = "directory.column." + std::string(config::AttrName(a));
    if (a == Attr::kActive) {
      CheckValues("directory.active_values", a, {m_.active_value, m_.inactive_value});
    } else if (a == Attr::kRole) {
      CheckValues("directory.role_values", a,
                  {m_.role_values[0], m_.role_values[1], m_.role_values[2]});
    } else if (a == Attr::kCreatedAt || a == Attr::kUpdatedAt) {
      CheckTimestamp(a);
    } else {
      CheckText(key, f_.users, m_.column(a), a == Attr::kUserName || a == Attr::kEmail);
    }
  }
  if (m_.groups && !m_.member_user_key.empty()) {
    CheckKey("directory.member_user_key", f_.users, m_.member_user_key, false);
  }
  CheckUserNameUnique();
  CheckUnmappedRequired();
}

// A NOT NULL column with no default that the mapping does not write makes
// every INSERT fail in strict SQL mode (the default): users could be
// updated here, never created. An ENUM NOT NULL defaults to its first
// member.
void Checker::CheckUnmappedRequired() {
  for (const auto& c : f_.users.columns) {
    if (c.nullable || c.has_default || c.auto_increment || c.generated) continue;
    if (c.data_type == "enum") continue;
    bool written = false;
    for (Attr a : config::MappedAttrs(m_)) written = written || EqualsCi(m_.column(a), c.name);
    if (written) continue;
    Add(Level::kWarning, "directory.table",
        f_.users.name + "." + c.name +
            " is NOT NULL without a default and not mapped: creating "
            "a user in this table would fail (updating works)");
  }
}

}  // namespace

std::optional<std::string> WhyValueDoesNotFit(const ColumnFacts& c, std::string_view value) {
  const std::string& t = c.data_type;
  if (t == "enum" || t == "set") return NotAMember(c, value);
  if (auto range = RangeOf(c)) return NotAnInteger(c, *range, value);
  if (Is(t, {"decimal", "numeric", "float", "double", "real"})) {
    std::string text(value);
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) return std::nullopt;
    return Quoted(value) + " is not a number: " + c.name + " is " + c.column_type;
  }
  bool binary = Is(t, {"binary", "varbinary"});
  if (IsCharacterType(t) || binary) {
    long long len = binary ? static_cast<long long>(value.size()) : Utf8Length(value);
    if (c.max_length < 0 || len <= c.max_length) return std::nullopt;
    return Quoted(value) + " is longer than " + c.name + " " + c.column_type + " holds";
  }
  if (t == "bit") {
    return c.name + " is " + c.column_type +
           ": BIT columns are not supported for these values, use TINYINT(1)";
  }
  return c.name + " is " + c.column_type + ", which cannot hold " + Quoted(value);
}

std::vector<Problem> CheckDirectory(const config::DirectoryMapping& m,
                                    const DirectoryFacts& facts) {
  return Checker(m, facts).Run();
}

std::string_view LevelName(Level level) { return level == Level::kError ? "error" : "warning"; }

bool HasErrors(const std::vector<Problem>& problems) {
  for (const auto& p : problems) {
    if (p.level == Level::kError) return true;
  }
  return false;
}

}  // namespace scim::ops
