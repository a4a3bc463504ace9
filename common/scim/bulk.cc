#include "common/scim/bulk.h"

#include <map>
#include <string>
#include <vector>

#include "common/scim/schema.h"
#include "common/scim/text.h"

namespace scim {
namespace {

constexpr std::string_view kBulkIdPrefix = "bulkId:";

struct Operation {
  std::string method, path, bulk_id, version;
  Json data;
  size_t index = 0;
};

struct Outcome {
  int status = 0;
  std::string location, version;
  std::optional<ScimError> error;
};

Outcome Failed(ScimError error) {
  int status = error.status;
  return {status, "", "", std::move(error)};
}

// Replaces "bulkId:x" strings in v with created ids. False when one is
// not created (yet).
bool Resolve(Json* v, const std::map<std::string, std::string>& created) {
  if (v->is_string()) {
    const std::string& s = v->as_string();
    if (s.rfind(kBulkIdPrefix, 0) != 0) return true;
    auto it = created.find(s.substr(kBulkIdPrefix.size()));
    if (it == created.end()) return false;
    *v = Json(it->second);
    return true;
  }
  bool ok = true;
  if (v->is_array()) {
    for (auto& e : v->as_array()) ok = Resolve(&e, created) && ok;
  } else if (v->is_object()) {
    for (auto& [k, e] : v->as_object()) ok = Resolve(&e, created) && ok;
  }
  return ok;
}

// "/Users/bulkId:x" -> "/Users/<id of x>".
bool ResolvePath(std::string* path, const std::map<std::string, std::string>& created) {
  size_t slash = path->rfind('/');
  if (slash == std::string::npos) return true;
  Json last(path->substr(slash + 1));
  if (!Resolve(&last, created)) return false;
  *path = path->substr(0, slash + 1) + last.as_string();
  return true;
}

Result<Operation> Decode(const Json& o, size_t index) {
  if (!o.is_object()) return InvalidSyntax("each bulk operation must be an object");
  Operation op;
  op.index = index;
  auto text = [&](const char* name) {
    const Json* v = o.FindCi(name);
    return v && v->is_string() ? v->as_string() : std::string();
  };
  op.method = text("method");
  for (auto& c : op.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  op.path = text("path");
  op.bulk_id = text("bulkId");
  op.version = text("version");
  if (const Json* d = o.FindCi("data")) op.data = *d;
  if (op.method == "POST" && op.bulk_id.empty()) {
    return InvalidValue("a bulk POST needs a bulkId (operation " + std::to_string(index) + ")");
  }
  return op;
}

// "/Users" or "/Users/{id}" -> the service and the id.
ResourceService* Target(const std::string& path, ResourceService& users, ResourceService& groups,
                        std::string* id) {
  for (ResourceService* svc : {&users, &groups}) {
    std::string base(svc->type().endpoint);
    if (EqualsCi(path, base)) return svc;
    if (path.size() > base.size() + 1 && EqualsCi(path.substr(0, base.size() + 1), base + "/")) {
      *id = path.substr(base.size() + 1);
      if (id->find('/') == std::string::npos) return svc;
    }
  }
  return nullptr;
}

Outcome Run(const Operation& op, ResourceService& users, ResourceService& groups,
            std::string_view base_url, const WriteAudit& who) {
  std::string id;
  ResourceService* svc = Target(op.path, users, groups, &id);
  if (!svc || (op.method == "POST") != id.empty()) {
    return Failed(NotFound("no bulk target " + op.method + " " + op.path));
  }
  Result<ResourceRecord> r = NotFound("");
  int ok_status = 200;
  if (op.method == "POST") {
    r = svc->Create(op.data, who);
    ok_status = 201;
  } else if (op.method == "PUT") {
    r = svc->Replace(id, op.data, op.version, who);
  } else if (op.method == "PATCH") {
    r = svc->Patch(id, op.data, op.version, who);
  } else if (op.method == "DELETE") {
    auto d = svc->Delete(id, op.version, who);
    if (!d.ok()) return Failed(d.error());
    return {204, std::string(base_url) + std::string(svc->type().endpoint) + "/" + id, "", {}};
  } else {
    return Failed(MethodNotAllowed("unknown bulk method '" + op.method + "'"));
  }
  if (!r.ok()) return Failed(r.error());
  return {ok_status,
          std::string(base_url) + std::string(svc->type().endpoint) + "/" + r.value().id,
          WeakEtag(r.value().version),
          {}};
}

Json OutcomeJson(const Operation& op, const Outcome& o) {
  Json j = Json::MakeObject();
  j.Set("method", op.method);
  if (!op.bulk_id.empty()) j.Set("bulkId", op.bulk_id);
  if (!o.location.empty()) j.Set("location", o.location);
  if (!o.version.empty()) j.Set("version", o.version);
  j.Set("status", std::to_string(o.status));
  if (o.error) j.Set("response", ErrorJson(*o.error));
  return j;
}

}  // namespace

Result<Json> RunBulk(const Json& request, ResourceService& users, ResourceService& groups,
                     std::string_view base_url, const WriteAudit& who) {
  const Json* ops = request.is_object() ? request.FindCi("Operations") : nullptr;
  if (!ops || !ops->is_array()) return InvalidSyntax("a BulkRequest needs an Operations array");
  if (ops->as_array().size() > static_cast<size_t>(kMaxBulkOperations)) {
    return PayloadTooLarge("at most " + std::to_string(kMaxBulkOperations) + " bulk operations");
  }
  int64_t fail_on_errors = 0;  // 0: process everything
  if (const Json* f = request.FindCi("failOnErrors"); f && f->kind() == Json::Kind::kInt) {
    fail_on_errors = f->as_int();
  }
  std::vector<Operation> pending;
  for (size_t i = 0; i < ops->as_array().size(); ++i) {
    auto op = Decode(ops->as_array()[i], i);
    if (!op.ok()) return op.error();
    pending.push_back(std::move(op).value());
  }
  std::map<std::string, std::string> created;  // bulkId -> id
  std::map<size_t, Json> results;              // by request order
  int64_t errors = 0;
  // Each pass runs what can be resolved; a pass that runs nothing ends it.
  while (!pending.empty() && (fail_on_errors == 0 || errors < fail_on_errors)) {
    std::vector<Operation> later;
    for (auto& op : pending) {
      if (fail_on_errors != 0 && errors >= fail_on_errors) break;
      Operation resolved = op;
      if (!Resolve(&resolved.data, created) || !ResolvePath(&resolved.path, created)) {
        later.push_back(op);
        continue;
      }
      Outcome o = Run(resolved, users, groups, base_url, who);
      if (o.error) ++errors;
      if (o.status == 201 && !op.bulk_id.empty()) {
        created[op.bulk_id] = o.location.substr(o.location.rfind('/') + 1);
      }
      results[op.index] = OutcomeJson(op, o);
    }
    if (later.size() == pending.size()) {
      for (const auto& op : later) {
        results[op.index] =
            OutcomeJson(op, Failed(UnresolvedBulkId("a bulkId reference cannot be resolved")));
      }
      break;
    }
    pending = std::move(later);
  }
  Json out = Json::MakeObject();
  out.Set("schemas", Json(Json::Array{Json(kBulkResponseSchema)}));
  Json arr = Json::MakeArray();
  for (auto& [i, j] : results) arr.as_array().push_back(std::move(j));
  out.Set("Operations", std::move(arr));
  return out;
}

}  // namespace scim
