// RFC-exact answers through nginx (issue 13 §3): a group PATCH's 204, value
// filters in attributes / excludedAttributes, referenceTypes in /Schemas.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

Response Call(const std::string& method, const std::string& path, const std::string& body = "") {
  return Http(method, "/scim/v2" + path, body, Auth(SharedToken()));
}

std::string Patch(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string Encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A member of an object as JSON text, "(none)" when absent.
std::string Member(const Json& object, const char* key) {
  const Json* v = object.Find(key);
  return v ? ToJson(*v) : "(none)";
}

std::string NewUser(const std::string& extra = "") {
  Response r = Call("POST", "/Users", UserBody(Unique("rfc"), extra));
  EXPECT_EQ(r.status, 201) << r.body;
  Json user = r.status == 201 ? r.json() : Json::MakeObject();
  const Json* id = user.Find("id");
  return id ? id->as_string() : "";
}

// RFC 7644 §3.5.2: on 200 the entire resource (subject to attributes), or 204.
TEST(RfcTest, GroupPatchIs204UnlessAttributesAreAskedAndUserPatchIs200) {
  std::string u1 = NewUser(), u2 = NewUser();
  ASSERT_FALSE(u1.empty() || u2.empty());
  Response g = Call("POST", "/Groups",
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":")" + Unique("RFC group") +
                        R"(","members":[{"value":")" + u1 + R"("}]})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = g.json().Find("id")->as_string();
  std::string add = Patch(R"([{"op":"add","path":"members","value":[{"value":")" + u2 + R"("}]}])");
  Response added = Call("PATCH", "/Groups/" + gid, add);
  EXPECT_EQ(added.status, 204);
  EXPECT_EQ(added.body, "");
  EXPECT_EQ(added.headers["etag"], "W/\"2\"");
  EXPECT_EQ(added.headers.count("content-length"), 0u) << "RFC 9110 §8.6";

  std::string rename = Patch(R"([{"op":"replace","path":"displayName","value":"Renamed"}])");
  Response asked = Call("PATCH", "/Groups/" + gid + "?attributes=members", rename);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.headers["etag"], "W/\"3\"");
  ASSERT_NE(asked.json().Find("members"), nullptr) << asked.body;
  EXPECT_EQ(asked.json().Find("members")->as_array().size(), 2u);
  Response lean = Call("PATCH", "/Groups/" + gid + "?excludedAttributes=members", rename);
  ASSERT_EQ(lean.status, 200) << lean.body;
  EXPECT_EQ(lean.json().Find("members"), nullptr);
  EXPECT_EQ(Member(lean.json(), "displayName"), R"("Renamed")");

  Response user =
      Call("PATCH", "/Users/" + u1, Patch(R"([{"op":"replace","path":"title","value":"Boss"}])"));
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(Member(user.json(), "title"), R"("Boss")");
  EXPECT_NE(user.json().Find("userName"), nullptr);

  // Bulk (§3.7.3): status, location and version; the body may be left out.
  Response bulk = Call("POST", "/Bulk",
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    "Operations":[{"method":"PATCH","path":"/Groups/)" +
                           gid + R"(","data":)" + rename + "}]}");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  Json op = bulk.json().Find("Operations")->as_array().at(0);
  EXPECT_EQ(op.Find("status")->as_string(), "200");
  EXPECT_NE(op.Find("location")->as_string().find("/Groups/" + gid), std::string::npos);
  EXPECT_EQ(op.Find("response"), nullptr);
}

// Microsoft's reference Postman collection for Entra sends
// GET /Users?attributes=emails[type eq "work"].
TEST(RfcTest, ValueFiltersInAttributesSelectAndExcludeValues) {
  std::string id = NewUser(R"(,"emails":[{"value":"w@example.com","type":"work","primary":true},
                                        {"value":"h@example.com","type":"home"}])");
  ASSERT_FALSE(id.empty());
  std::string by_id = Encode("id eq \"" + id + "\"");
  Response raw = Call("GET", "/Users?filter=" + by_id +
                                 "&attributes=emails[type%20eq%20%22work%22]");  // as Postman sends
  ASSERT_EQ(raw.status, 200) << raw.body;
  Json found = raw.json().Find("Resources")->as_array().at(0);
  EXPECT_EQ(Member(found, "emails"), R"([{"value":"w@example.com","type":"work","primary":true}])");
  EXPECT_EQ(found.Find("userName"), nullptr);
  EXPECT_EQ(found.Find("id")->as_string(), id);

  Response value = Call(
      "GET", "/Users/" + id + "?attributes=" + Encode("userName,emails[type eq \"work\"].value"));
  ASSERT_EQ(value.status, 200) << value.body;
  EXPECT_EQ(Member(value.json(), "emails"), R"([{"value":"w@example.com"}])");
  EXPECT_NE(value.json().Find("userName"), nullptr);

  Response excluded =
      Call("GET", "/Users/" + id + "?excludedAttributes=" + Encode("emails[type eq \"work\"]"));
  ASSERT_EQ(excluded.status, 200) << excluded.body;
  EXPECT_EQ(Member(excluded.json(), "emails"), R"([{"value":"h@example.com","type":"home"}])");
  EXPECT_NE(excluded.json().Find("userName"), nullptr);

  Response search = Call("POST", "/Users/.search",
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                             "filter":"id eq \")" +
                             id + R"(\"","attributes":["emails[type eq \"home\"].value"]})");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(Member(search.json().Find("Resources")->as_array().at(0), "emails"),
            R"([{"value":"h@example.com"}])");

  Response bad = Call("GET", "/Users/" + id + "?attributes=" + Encode("emails[type eq]"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().Find("scimType")->as_string(), "invalidFilter");
  EXPECT_NE(bad.json().Find("detail")->as_string().find("emails[type eq]"), std::string::npos);
}

// Every reference attribute, sub-attributes included, of every schema.
void CheckReferenceTypes(const Json& attributes, const std::string& prefix,
                         std::map<std::string, std::string>* seen) {
  for (const auto& a : attributes.as_array()) {
    std::string name = prefix + a.Find("name")->as_string();
    if (a.Find("type")->as_string() == "reference") {
      const Json* types = a.Find("referenceTypes");
      EXPECT_TRUE(types && types->is_array() && !types->as_array().empty()) << name;
      (*seen)[name] = types ? ToJson(*types) : "";
    }
    if (const Json* subs = a.Find("subAttributes")) CheckReferenceTypes(*subs, name + ".", seen);
  }
}

// RFC 7643 §7 and §8.7.1.
TEST(RfcTest, SchemasDeclareTheReferenceTypesOfEveryReferenceAttribute) {
  Response schemas = Call("GET", "/Schemas");
  ASSERT_EQ(schemas.status, 200) << schemas.body;
  std::map<std::string, std::string> seen;
  Json list = schemas.json();
  for (const auto& s : list.Find("Resources")->as_array()) {
    CheckReferenceTypes(*s.Find("attributes"), s.Find("name")->as_string() + ": ", &seen);
  }
  EXPECT_EQ(seen["User: photos.value"], R"(["external"])");
  EXPECT_EQ(seen["User: profileUrl"], R"(["external"])");
  EXPECT_EQ(seen["Group: members.$ref"], R"(["User","Group"])");
  EXPECT_EQ(seen["EnterpriseUser: manager.$ref"], R"(["User"])");
}

}  // namespace
}  // namespace scim::it
