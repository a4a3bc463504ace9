// In-memory fakes of the I/O interfaces: stores, tokens, clock, ids, hasher.
#ifndef SCIM_TESTS_FAKES_FAKES_H_
#define SCIM_TESTS_FAKES_FAKES_H_

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/auth/token.h"
#include "common/scim/change_payload.h"
#include "common/scim/clock.h"
#include "common/scim/resource_service.h"
#include "common/scim/store.h"
#include "common/scim/text.h"
#include "common/scim/user.h"

namespace scim::testing {

class FakeClock : public Clock {
 public:
  int64_t now = 1763830000000;  // 2025-11-22T16:46:40Z
  int64_t NowMillis() override { return now; }
};

class SequentialIds : public IdGenerator {
 public:
  int next = 1;
  std::string NewId() override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", next++);
    return buf;
  }
};

// Not a real hash: makes hashing visible to tests.
class FakeHasher : public PasswordHasher {
 public:
  int calls = 0;
  std::string Hash(std::string_view clear) override {
    ++calls;
    return "hashed:" + std::string(clear);
  }
};

// One resource type in memory, in creation order. Users: userName unique
// case-insensitively (as the MySQL collation makes it). Groups: members by
// id, checked to exist in `users` or itself. Every write is recorded in
// `queue` as its payload, and every id a method is given in `asked`.
class FakeStore : public ResourceStore {
 public:
  explicit FakeStore(const ResourceTypeDef& type, FakeStore* users = nullptr)
      : type_(type), users_(users) {}

  std::vector<ResourceRecord> records;
  std::map<std::string, std::vector<std::string>> members;  // group id -> member ids
  std::vector<Json> queue;
  int queries = 0;
  int related_reads = 0;                // calls of Related (a group's members, a user's groups)
  std::function<void()> before_update;  // runs at the start of each Update

  std::vector<WriteAudit> audit;
  std::vector<std::string> asked;  // ids given to Get, Update, Delete, ..., members

  void AuditRefusal(std::string_view id, const WriteAudit& a) override {
    if (!id.empty()) asked.emplace_back(id);
    audit.push_back(a);
  }

  Result<void> Create(const ResourceRecord& r, const MemberDelta* delta,
                      const WriteAudit& a) override {
    if (auto u = CheckUnique(r, ""); !u.ok()) return u;
    if (delta) {
      if (auto m = ApplyDelta(r.id, *delta); !m.ok()) return m;
    }
    records.push_back(r);
    queue.push_back(ChangePayload(type_, r, "upsert"));
    audit.push_back(a);
    return {};
  }

  Result<ResourceRecord> Get(std::string_view id) override {
    asked.emplace_back(id);
    for (const auto& r : records) {
      if (r.id == id) return r;
    }
    return NotFound("no resource " + std::string(id));
  }

  Result<void> Update(const ResourceRecord& r, int64_t expected, const MemberDelta* d,
                      const WriteAudit& a) override {
    if (before_update) before_update();
    asked.push_back(r.id);
    for (auto& stored : records) {
      if (stored.id != r.id) continue;
      if (expected == kAnyVersion) {  // members only: keep the stored attributes
        ResourceRecord next = r;
        next.attributes = stored.attributes;
        next.version = stored.version + 1;
        if (d) {
          if (auto m = ApplyDelta(r.id, *d); !m.ok()) return m;
        }
        stored = next;
        queue.push_back(ChangePayload(type_, next, "upsert"));
        audit.push_back(a);
        return {};
      }
      if (stored.version != expected) return PreconditionFailed("changed meanwhile");
      if (auto u = CheckUnique(r, r.id); !u.ok()) return u;
      if (d) {
        if (auto m = ApplyDelta(r.id, *d); !m.ok()) return m;
      }
      stored = r;
      queue.push_back(ChangePayload(type_, r, "upsert"));
      audit.push_back(a);
      return {};
    }
    return NotFound("no resource " + r.id);
  }

  Result<void> Delete(std::string_view id, int64_t expected, int64_t,
                      const WriteAudit& a) override {
    asked.emplace_back(id);
    for (auto it = records.begin(); it != records.end(); ++it) {
      if (it->id != id) continue;
      if (it->version != expected) return PreconditionFailed("changed meanwhile");
      ResourceRecord gone;
      gone.id = it->id;
      gone.version = expected + 1;
      queue.push_back(ChangePayload(type_, gone, "delete"));
      audit.push_back(a);
      records.erase(it);
      members.erase(std::string(id));
      return {};
    }
    return NotFound("no resource " + std::string(id));
  }

  Result<Page> Query(const StoreQuery& q) override {
    ++queries;
    last_query = q;
    Page p;
    p.total = static_cast<int64_t>(records.size());
    std::vector<ResourceRecord> after;  // seq is the 1-based position
    for (size_t i = 0; i < records.size(); ++i) {
      if (static_cast<int64_t>(i + 1) <= q.after_seq) continue;
      after.push_back(records[i]);
      after.back().seq = static_cast<int64_t>(i + 1);
    }
    int64_t n = static_cast<int64_t>(after.size());
    int64_t end = q.limit < 0 ? n : std::min<int64_t>(n, q.offset + q.limit);
    for (int64_t i = q.offset; i < end; ++i) p.records.push_back(after[static_cast<size_t>(i)]);
    return p;
  }
  StoreQuery last_query;

  Result<std::vector<MemberRef>> Related(std::string_view id) override {
    asked.emplace_back(id);
    ++related_reads;
    std::vector<MemberRef> out;
    for (const auto& m : members[std::string(id)]) out.push_back({m, "User", "display-" + m});
    return out;
  }

 private:
  Result<void> CheckUnique(const ResourceRecord& r, const std::string& self) {
    if (&type_ != &UserType()) return {};
    for (const auto& o : records) {
      if (o.id != self &&
          EqualsCi(ColumnsOf(o.attributes).user_name, ColumnsOf(r.attributes).user_name)) {
        return Uniqueness("userName taken");
      }
    }
    return {};
  }

  // All or nothing, as the store's transaction.
  Result<void> ApplyDelta(const std::string& group, const MemberDelta& d) {
    asked.insert(asked.end(), d.add.begin(), d.add.end());
    asked.insert(asked.end(), d.remove.begin(), d.remove.end());
    for (const auto& id : d.add) {
      if (users_ && !users_->Get(id).ok()) return UnknownMember(id);
    }
    auto& m = members[group];
    if (d.replace) m.clear();
    for (const auto& id : d.add) {
      if (std::find(m.begin(), m.end(), id) == m.end()) m.push_back(id);
    }
    for (const auto& id : d.remove) m.erase(std::remove(m.begin(), m.end(), id), m.end());
    return {};
  }

  const ResourceTypeDef& type_;
  FakeStore* users_;
};

class FakeTokenStore : public auth::TokenStore {
 public:
  std::map<std::string, auth::TokenInfo> by_hash;
  std::optional<ScimError> fail;

  void Add(const std::string& token, const std::string& name) {
    by_hash[auth::HashToken(token)] = {static_cast<int64_t>(by_hash.size() + 1), name};
  }

  Result<std::optional<auth::TokenInfo>> FindActive(std::string_view hash) override {
    if (fail) return *fail;
    auto it = by_hash.find(std::string(hash));
    if (it == by_hash.end()) return std::optional<auth::TokenInfo>();
    return std::optional<auth::TokenInfo>(it->second);
  }
};

// Who makes the writes of a test (ResourceService's `who`).
inline const WriteAudit kWho{"test-token", "test-request", "192.0.2.1", "", "", "ok", ""};

// A full set of services over fakes.
struct FakeServices {
  FakeClock clock;
  SequentialIds ids;
  FakeHasher hasher;
  FakeStore user_store{UserType()};
  FakeStore group_store{GroupType(), &user_store};
  ResourceService users{UserType(), user_store, clock, ids, hasher};
  ResourceService groups{GroupType(), group_store, clock, ids, hasher};
};

}  // namespace scim::testing

#endif  // SCIM_TESTS_FAKES_FAKES_H_
