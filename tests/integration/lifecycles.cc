#include "tests/integration/lifecycles.h"

#include <gtest/gtest.h>

#include <cctype>

namespace scim::it {
namespace {

const char* kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

}  // namespace

std::string PatchOps(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

Response Scim(const std::string& method, const std::string& path, const std::string& body) {
  return Http(method, "/scim/v2" + path, body, Auth(SharedToken()));
}

long long SqlNum(const std::string& sql, const std::string& key) {
  long long n = -1;
  std::string k = key;
  soci::indicator ind = soci::i_null;
  Db() << sql, soci::into(n, ind), soci::use(k);
  return Db().got_data() && ind == soci::i_ok ? n : -1;
}

std::string SqlText(const std::string& sql, const std::string& key) {
  std::string out, k = key;
  soci::indicator ind = soci::i_null;
  Db() << sql, soci::into(out, ind), soci::use(k);
  return Db().got_data() && ind == soci::i_ok ? out : "";
}

Response Lookup(const std::string& filter) {
  return Scim("GET", "/Users?filter=" + EncodeQuery(filter) + "&startIndex=1&count=100");
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

CmdResult Ctl(std::vector<std::string> args) {
  args.insert(args.begin(), {"--config", TestEnv().config_path});
  return RunProgram(TestEnv().bin_dir + "/scimctl", args);
}

CmdResult Reconcile() {
  return RunProgram(TestEnv().bin_dir + "/scim-syncd",
                    {"--config", TestEnv().config_path, "reconcile"});
}

ScopedSetting::ScopedSetting(std::string key, const std::string& value, std::string restore)
    : key_(std::move(key)), restore_(std::move(restore)) {
  CmdResult r = Ctl({"settings", "set", key_, value});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

ScopedSetting::~ScopedSetting() { Ctl({"settings", "set", key_, restore_}); }

std::string EncodeQuery(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void OktaLifecycle(AppDirectory& dir, LifecycleIds* ids) {
  std::string login = Unique("okta.user") + "@example.com";
  // 1. Okta looks the user up before creating it.
  Response probe = Scim("GET", "/Users?filter=" + EncodeQuery("userName eq \"" + login + "\"") +
                                   "&startIndex=1&count=100");
  ASSERT_EQ(probe.status, 200) << probe.body;
  EXPECT_EQ(probe.json().Find("totalResults")->as_int(), 0);

  // 2. Create, with Sync Password on.
  Response created = Scim("POST", "/Users",
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":")" + login + R"(","name":{"givenName":"Okta","familyName":"User"},
    "emails":[{"primary":true,"value":")" +
                              login + R"(","type":"work"}],
    "displayName":"Okta User","locale":"en-US","externalId":"00u1okta","groups":[],
    "password":"Sup3r-Secret!","active":true})");
  ASSERT_EQ(created.status, 201) << created.body;
  Json user = created.json();
  std::string id = user.Find("id")->as_string();
  EXPECT_EQ(user.Find("password"), nullptr);

  // 3. Read it back.
  Response got = Scim("GET", "/Users/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().Find("userName")->as_string(), login);

  // 4. Profile push: PUT of the full resource, id and empty groups included.
  Json put = got.json();
  put.Find("name")->Set("familyName", "Renamed");
  put.Set("groups", Json::MakeArray());
  Response replaced = Scim("PUT", "/Users/" + id, ToJson(put));
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.json().Find("name")->Find("familyName")->as_string(), "Renamed");
  EXPECT_EQ(replaced.headers["etag"], "W/\"2\"");
  std::string hash;
  Db() << "SELECT attributes FROM scim_users WHERE id = :id", soci::into(hash), soci::use(id);
  EXPECT_NE(hash.find("$pbkdf2-sha256$"), std::string::npos) << "the password survives a PUT";
  EXPECT_EQ(hash.find("Sup3r-Secret!"), std::string::npos);

  // 5/6. Deactivate, reactivate.
  Response off =
      Scim("PATCH", "/Users/" + id, PatchOps(R"([{"op":"replace","value":{"active":false}}])"));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().Find("active")->as_bool());
  Response on =
      Scim("PATCH", "/Users/" + id, PatchOps(R"([{"op":"replace","value":{"active":true}}])"));
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_TRUE(on.json().Find("active")->as_bool());

  // 7. Group push: create empty, add the member, rename with the id inside.
  std::string name = Unique("Okta Group");
  Response group =
      Scim("POST", "/Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":")" + name + R"(","members":[]})");
  ASSERT_EQ(group.status, 201) << group.body;
  std::string gid = group.json().Find("id")->as_string();
  Response add = Scim("PATCH", "/Groups/" + gid,
                      PatchOps(R"([{"op":"add","path":"members",
    "value":[{"value":")" + id +
                               R"(","display":")" + login + R"("}]}])"));
  ASSERT_EQ(add.status, 204) << add.body;  // a group PATCH answers 204 unless asked
  EXPECT_EQ(add.headers["etag"], "W/\"2\"");
  Response rename = Scim("PATCH", "/Groups/" + gid,
                         PatchOps(R"([{"op":"replace","value":{"id":")" + gid +
                                  R"(","displayName":")" + name + R"( 2"}}])"));
  ASSERT_EQ(rename.status, 204) << rename.body;
  Response renamed = Scim("GET", "/Groups/" + gid);
  EXPECT_EQ(renamed.json().Find("displayName")->as_string(), name + " 2");
  ASSERT_EQ(renamed.json().Find("members")->as_array().size(), 1u);
  Response asked =
      Scim("PATCH", "/Groups/" + gid + "?attributes=members,displayName",
           PatchOps(R"([{"op":"replace","path":"displayName","value":")" + name + R"( 2"}])"));
  ASSERT_EQ(asked.status, 200) << asked.body;
  ASSERT_EQ(asked.json().Find("members")->as_array().size(), 1u);
  Response with_groups = Scim("GET", "/Users/" + id + "?attributes=groups");
  ASSERT_EQ(with_groups.status, 200);
  EXPECT_EQ(with_groups.json().Find("groups")->as_array()[0].Find("value")->as_string(), gid);

  if (ids) *ids = {id, gid};
  // Final state in the directory, once the daemon has caught up.
  EXPECT_TRUE(WaitUntil([&] {
    auto u = dir.User(id);
    auto g = dir.Group(gid);
    return u && u->applied_version == 4 && u->family_name == "Renamed" && u->active &&
           u->user_name == login && u->email == login && g && g->name == name + " 2" &&
           g->member_ids == std::vector<std::string>{id};
  }));
}

void EntraLifecycle(AppDirectory& dir, LifecycleIds* ids) {
  std::string upn = Unique("entra.user") + "@contoso.com";
  std::string object_id = Unique("aad-object");
  // Entra's matching queries (note the unquoted literal in the second).
  Response by_ext =
      Scim("GET", "/Users?filter=" + EncodeQuery("externalId eq \"" + object_id + "\""));
  ASSERT_EQ(by_ext.status, 200);
  EXPECT_EQ(by_ext.json().Find("totalResults")->as_int(), 0);
  Response unquoted = Scim("GET", "/Users?filter=" + EncodeQuery("externalId eq " + object_id));
  ASSERT_EQ(unquoted.status, 200) << unquoted.body;

  Response created = Scim("POST", "/Users",
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
      ")" + std::string(kEnt) +
                              R"("],
    "externalId":")" + object_id +
                              R"(","userName":")" + upn + R"(","active":true,
    "displayName":"Entra User","emails":[{"primary":true,"type":"work","value":")" +
                              upn + R"("}],
    "name":{"familyName":"User","givenName":"Entra"},
    "roles":[{"primary":true,"type":"WindowsAzureActiveDirectoryRole","display":"Admin","value":"Admin"}],
    ")" + kEnt + R"(":{"department":"Sales","employeeNumber":"1001"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json().Find("id")->as_string();
  Response found = Scim("GET", "/Users?filter=" + EncodeQuery("externalId eq " + object_id));
  EXPECT_EQ(TotalOf(found), 1);

  // One PATCH per mapped attribute, as Entra sends them.
  const std::vector<std::string> ops = {
      R"([{"op":"Replace","path":"displayName","value":"Entra Renamed"}])",
      R"([{"op":"Replace","path":"name.givenName","value":"Ent"}])",
      R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"new.)" + upn + R"("}])",
      R"([{"op":"Add","path":"title","value":"Manager"}])",
      R"([{"op":"Replace","value":{")" + std::string(kEnt) + R"(:department":"Marketing"}}])",
      R"([{"op":"Add","path":"addresses[type eq \"work\"].streetAddress","value":"1 Microsoft Way"}])",
      R"([{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 425 555 0100"}])",
      R"([{"op":"Add","path":")" + std::string(kEnt) + R"(:manager","value":"mgr-42"}])",
      R"([{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"8d3\",\"value\":\"Moderator\",\"displayName\":\"Moderator\"}"}]}])",
      R"([{"op":"Replace","path":"roles[primary eq \"True\"].value","value":"Admin"}])",
      R"([{"op":"Replace","path":"active","value":"False"}])",
  };
  for (const auto& op : ops) {
    SCOPED_TRACE(op);
    Response r = Scim("PATCH", "/Users/" + id, PatchOps(op));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  Json u = Scim("GET", "/Users/" + id).json();
  EXPECT_EQ(u.Find("displayName")->as_string(), "Entra Renamed");
  EXPECT_EQ(u.Find("name")->Find("givenName")->as_string(), "Ent");
  EXPECT_EQ(u.Find("emails")->as_array()[0].Find("value")->as_string(), "new." + upn);
  EXPECT_EQ(u.Find("title")->as_string(), "Manager");
  const Json* ent = u.Find(kEnt);
  ASSERT_NE(ent, nullptr);
  EXPECT_EQ(ent->Find("department")->as_string(), "Marketing");
  EXPECT_EQ(ent->Find("employeeNumber")->as_string(), "1001");
  EXPECT_EQ(ent->Find("manager")->Find("value")->as_string(), "mgr-42");
  EXPECT_EQ(u.Find("addresses")->as_array()[0].Find("streetAddress")->as_string(),
            "1 Microsoft Way");
  EXPECT_EQ(u.Find("phoneNumbers")->as_array()[0].Find("type")->as_string(), "mobile");
  ASSERT_EQ(u.Find("roles")->as_array().size(), 2u);
  EXPECT_EQ(u.Find("roles")->as_array()[1].Find("value")->as_string(), "Moderator");
  EXPECT_FALSE(u.Find("active")->as_bool());
  // Entra re-sends unchanged values every cycle: no new version.
  std::string version = u.Find("meta")->Find("version")->as_string();
  Response again = Scim("PATCH", "/Users/" + id,
                        PatchOps(R"([{"op":"Replace","path":"active","value":"False"}])"));
  EXPECT_EQ(again.json().Find("meta")->Find("version")->as_string(), version);

  // Groups: create, add members, read without members, remove with a value.
  std::string name = Unique("Entra Group");
  Response g = Scim("POST", "/Groups",
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "externalId":")" + Unique("grp") +
                        R"(","displayName":")" + name + R"("})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = g.json().Find("id")->as_string();
  ASSERT_EQ(Scim("PATCH", "/Groups/" + gid,
                 PatchOps(R"([{"op":"Add","path":"members","value":[{"value":")" + id + R"("}]}])"))
                .status,
            204);
  Response lean = Scim("GET", "/Groups/" + gid + "?excludedAttributes=members");
  EXPECT_EQ(lean.json().Find("members"), nullptr);
  Response by_name =
      Scim("GET", "/Groups?filter=" + EncodeQuery("displayName eq \"" + name + "\"") +
                      "&excludedAttributes=members");
  EXPECT_EQ(TotalOf(by_name), 1);
  Response removed =
      Scim("PATCH", "/Groups/" + gid,
           PatchOps(R"([{"op":"Remove","path":"members","value":[{"value":")" + id + R"("}]}])"));
  ASSERT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(removed.body, "");

  // Out of scope: DELETE; the directory keeps the user, deactivated. (Once
  // the directory has it: a user created and deleted before the daemon's
  // next batch never reaches the directory, and then there is nothing to
  // keep.)
  long long last = std::stoll(version.substr(3));  // W/"n"
  if (ids) *ids = {id, gid};
  auto in_directory = [&](long long v) {
    auto u = dir.User(id);
    return u && u->applied_version == v && !u->active && u->given_name == "Ent" &&
           u->email == "new." + upn &&
           u->display_name.value_or("Entra Renamed") == "Entra Renamed" &&
           u->role == "Registered";  // Admin needs allow_admin_promotion
  };
  ASSERT_TRUE(WaitUntil([&] { return in_directory(last); }));
  Response del = Scim("DELETE", "/Users/" + id);
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(Scim("GET", "/Users/" + id).status, 404);
  EXPECT_TRUE(WaitUntil([&] { return in_directory(last + 1); })) << "the delete, applied";
}

}  // namespace scim::it
