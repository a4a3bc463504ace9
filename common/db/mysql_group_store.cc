#include "common/db/mysql_group_store.h"

#include <string>

#include "common/db/change_queue.h"
#include "common/db/record_query.h"
#include "common/scim/change_payload.h"

namespace scim::db {
namespace {

const char* GroupColumn(Column c) {
  switch (c) {
    case Column::kId:
      return "id";
    case Column::kExternalId:
      return "external_id";
    case Column::kDisplayName:
      return "display_name";
    case Column::kCreated:
      return "created_ms";
    case Column::kLastModified:
      return "last_modified_ms";
    default:
      return nullptr;
  }
}

std::string StringAt(const Json& attributes, const char* name) {
  const Json* v = attributes.Find(name);
  return v && v->is_string() ? v->as_string() : "";
}

// Adds one member: it must be an existing User or Group.
Result<void> AddMember(soci::session& sql, const std::string& group, const std::string& member) {
  if (member == group) return InvalidValue("a group cannot be a member of itself");
  for (const char* type : {"User", "Group"}) {
    std::string table = std::string(type) == "User" ? "scim_users" : "scim_groups";
    std::string t = type;
    soci::statement st =
        (sql.prepare << "INSERT IGNORE INTO scim_group_members (group_id, member_id, member_type) "
                        "SELECT :g, id, :t FROM " +
                            table + " WHERE id = " + IdParam("m"),
         soci::use(group), soci::use(t), soci::use(member));
    st.execute(true);
    if (st.get_affected_rows() > 0) return {};
  }
  long long present = 0;
  sql << "SELECT COUNT(*) FROM scim_group_members WHERE group_id = " + IdParam("g") +
             " AND member_id = " + IdParam("m"),
      soci::into(present), soci::use(group), soci::use(member);
  if (present == 0) return UnknownMember(member);
  return {};
}

Result<void> ApplyMembers(soci::session& sql, const std::string& group, const MemberDelta& d) {
  if (d.replace) {
    sql << "DELETE FROM scim_group_members WHERE group_id = " + IdParam("g"), soci::use(group);
  }
  for (const auto& m : d.add) {
    bool removed_later = false;
    for (const auto& r : d.remove) removed_later = removed_later || r == m;
    if (removed_later && d.replace) continue;
    if (auto r = AddMember(sql, group, m); !r.ok()) return r;
  }
  if (d.replace) return {};
  for (const auto& m : d.remove) {
    sql << "DELETE FROM scim_group_members WHERE group_id = " + IdParam("g") +
               " AND member_id = " + IdParam("m"),
        soci::use(group), soci::use(m);
  }
  return {};
}

void WriteGroup(soci::session& sql, const ResourceRecord& r, bool insert) {
  std::string display = StringAt(r.attributes, "displayName");
  std::string external = StringAt(r.attributes, "externalId");
  soci::indicator ext_i = external.empty() ? soci::i_null : soci::i_ok;
  std::string attributes = ToJson(r.attributes);
  long long version = r.version, created = r.created_ms, modified = r.last_modified_ms;
  if (insert) {
    sql << "INSERT INTO scim_groups (id, display_name, external_id, version, created_ms, "
           "last_modified_ms, attributes) VALUES (:id, :dn, :ext, :v, :c, :m, :a)",
        soci::use(r.id), soci::use(display), soci::use(external, ext_i), soci::use(version),
        soci::use(created), soci::use(modified), soci::use(attributes);
  } else {
    sql << "UPDATE scim_groups SET display_name = :dn, external_id = :ext, version = :v, "
           "last_modified_ms = :m, attributes = :a WHERE id = " +
               IdParam("id"),
        soci::use(display), soci::use(external, ext_i), soci::use(version), soci::use(modified),
        soci::use(attributes), soci::use(r.id);
  }
}

}  // namespace

Result<void> RemoveFromAllGroups(soci::session& sql, const std::string& member_id,
                                 long long now_ms) {
  std::vector<std::string> groups;
  {
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT group_id FROM scim_group_members "
                                                 "WHERE member_id = " +
                                                     IdParam("m"),
                                  soci::use(member_id));
    for (const auto& r : rs) groups.push_back(r.get<std::string>(0));
  }
  for (const auto& g : groups) {
    auto current = ReadRecord(sql, "scim_groups", g, true);
    if (!current.ok()) return current.error();
    if (!current.value()) continue;
    ResourceRecord next = *current.value();
    next.version += 1;
    next.last_modified_ms = std::max<long long>(now_ms, next.last_modified_ms);
    sql << "DELETE FROM scim_group_members WHERE group_id = " + IdParam("g") +
               " AND member_id = " + IdParam("m"),
        soci::use(g), soci::use(member_id);
    WriteGroup(sql, next, false);
    MemberDelta d;
    d.remove.push_back(member_id);
    EnqueueChange(sql, GroupType(), g, next.version, "upsert",
                  ToJson(ChangePayload(GroupType(), next, "upsert", &d)));
  }
  return {};
}

Result<void> DeleteResource(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                            long long expected_version, long long now_ms, const WriteAudit& audit) {
  bool group = &type == &GroupType();
  std::string table = group ? "scim_groups" : "scim_users";
  std::string name;
  soci::indicator name_i;
  sql << "SELECT " + std::string(group ? "display_name" : "user_name") + " FROM " + table +
             " WHERE id = " + IdParam("id"),
      soci::into(name, name_i), soci::use(id);
  soci::statement st =
      (sql.prepare << "DELETE FROM " + table + " WHERE id = " + IdParam("id") + " AND version = :v",
       soci::use(id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() == 0) return MissedVersion(sql, table, id);
  if (group) {
    sql << "DELETE FROM scim_group_members WHERE group_id = " + IdParam("g"), soci::use(id);
  }
  if (auto r = RemoveFromAllGroups(sql, id, now_ms); !r.ok()) return r;
  ResourceRecord gone;
  gone.id = id;
  gone.version = expected_version + 1;
  EnqueueChange(sql, type, id, gone.version, "delete", ToJson(ChangePayload(type, gone, "delete")));
  WriteAuditRow(sql, type, id, name_i == soci::i_ok ? name : "", audit);
  return {};
}

Result<void> MysqlGroupStore::Create(const ResourceRecord& record, const MemberDelta* members,
                                     const WriteAudit& audit) {
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    WriteGroup(sql, record, true);
    if (members) {
      if (auto r = ApplyMembers(sql, record.id, *members); !r.ok()) return r;
    }
    EnqueueChange(sql, GroupType(), record.id, record.version, "upsert",
                  ToJson(ChangePayload(GroupType(), record, "upsert", members)));
    WriteAuditRow(sql, GroupType(), record.id, StringAt(record.attributes, "displayName"), audit);
    tr.commit();
    return {};
  });
}

Result<ResourceRecord> MysqlGroupStore::Get(std::string_view id) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<ResourceRecord> {
    auto r = ReadRecord(sql, "scim_groups", key, false);
    if (!r.ok()) return r.error();
    if (!r.value()) return NotFound("no Group with id " + key);
    return *std::move(r).value();
  });
}

Result<void> MysqlGroupStore::Update(const ResourceRecord& record, int64_t expected_version,
                                     const MemberDelta* members, const WriteAudit& audit) {
  long long expected = expected_version;
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    auto locked = ReadRecord(sql, "scim_groups", record.id, /*for_update=*/true);
    if (!locked.ok()) return locked.error();
    if (!locked.value()) return NotFound("no Group with id " + record.id);
    ResourceRecord next = record;
    if (expected == kAnyVersion) {  // members only: keep what is stored, bump its version
      next.attributes = locked.value()->attributes;
      next.version = locked.value()->version + 1;
    } else if (locked.value()->version != expected) {
      return PreconditionFailed("the resource was changed meanwhile");
    }
    WriteGroup(sql, next, false);
    if (members) {
      if (auto r = ApplyMembers(sql, record.id, *members); !r.ok()) return r;
    }
    EnqueueChange(sql, GroupType(), next.id, next.version, "upsert",
                  ToJson(ChangePayload(GroupType(), next, "upsert", members)));
    WriteAuditRow(sql, GroupType(), next.id, StringAt(next.attributes, "displayName"), audit);
    tr.commit();
    return {};
  });
}

Result<void> MysqlGroupStore::Delete(std::string_view id, int64_t expected_version, int64_t now_ms,
                                     const WriteAudit& audit) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    if (auto r = DeleteResource(sql, GroupType(), key, expected_version, now_ms, audit); !r.ok()) {
      return r;
    }
    tr.commit();
    return {};
  });
}

Result<Page> MysqlGroupStore::Query(const StoreQuery& query) {
  return Guarded(conn_, [&](soci::session& sql) -> Result<Page> {
    return QueryRecords(sql, "scim_groups", &GroupColumn, query);
  });
}

Result<std::vector<MemberRef>> MysqlGroupStore::Related(std::string_view id) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<std::vector<MemberRef>> {
    std::vector<MemberRef> out;
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT m.member_id, m.member_type, "
                        "COALESCE(u.display_name, u.user_name, g.display_name, '') "
                        "FROM scim_group_members m "
                        "LEFT JOIN scim_users u ON m.member_type = 'User' AND u.id = m.member_id "
                        "LEFT JOIN scim_groups g ON m.member_type = 'Group' AND g.id = m.member_id "
                        "WHERE m.group_id = " +
                            IdParam("id") + " ORDER BY m.member_id",
         soci::use(key));
    for (const auto& r : rs) {
      out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2)});
    }
    return out;
  });
}

void MysqlGroupStore::AuditRefusal(std::string_view id, const WriteAudit& audit) {
  AuditRefusalRow(conn_, GroupType(), id, audit);
}

}  // namespace scim::db
