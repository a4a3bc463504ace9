// The Settings page: DELETE behaviour, conflict policy, max attempts,
// retention and rate limit, validated as `scimctl settings set` does.
#include "admin/pages.h"
#include "common/scim/text.h"

namespace scim::admin {
namespace {

// The keys this page edits, with their labels and choices ({} for text).
struct Field {
  const char* key;
  const char* label;
  std::vector<const char*> choices;
};
const std::vector<Field>& Fields() {
  static const std::vector<Field> kFields = {
      {"delete_behaviour",
       "What a SCIM DELETE does to the directory user",
       {"deactivate", "delete"}},
      {"conflict_policy",
       "When the IdP wants a locally deactivated user active",
       {"local_wins", "idp_wins"}},
      {"max_attempts", "Attempts before a change is dead (1-1000)", {}},
      {"queue_retention", "Days done changes are kept (7, 7d)", {}},
      {"audit_retention", "Days audit entries are kept (365, 365d)", {}},
      {"rate_limit", "Requests per second per token (0: no limit)", {}},
  };
  return kFields;
}

std::string Control(const Field& f, const std::string& current) {
  if (f.choices.empty()) return TextInput(f.key, f.key, f.label, current, "required");
  std::string out = std::string("<label for=\"") + f.key + "\">" + f.label +
                    "</label><select id=\"" + f.key + "\" name=\"" + f.key + "\">";
  for (const char* c : f.choices) {
    out += std::string("<option") + (current == c ? " selected" : "") + ">" + c + "</option>";
  }
  return out + "</select>";
}

std::map<std::string, std::string> AsText(const sync::Settings& s) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : sync::SettingsAsText(s)) out[k] = v;
  return out;
}

}  // namespace

std::string RenderSettings(const sync::Settings& s, const std::string& csrf) {
  auto current = AsText(s);
  std::string inner;
  for (const auto& f : Fields()) inner += Control(f, current[f.key]);
  return PostForm(
      "settings", "settings-form", csrf,
      inner + "<p><button type=\"submit\" id=\"settings-save\">Save settings</button></p>");
}

cgi::HttpResponse GetSettings(const Call& call, const Form&) {
  auto s = LoadSettings(call);
  if (!s.ok()) return Failed(call, s.error());
  return ShowPage(call, {"Settings", "settings", "", "", "", RenderSettings(s.value(), call.csrf)});
}

// Validates every field first (nothing is stored when one is wrong), then
// stores those that changed.
cgi::HttpResponse PostSettings(const Call& call, const Form& form) {
  auto s = LoadSettings(call);
  if (!s.ok()) return Failed(call, s.error());
  auto current = AsText(s.value());
  sync::Settings probe = s.value();
  std::vector<std::pair<std::string, std::string>> changed;
  for (const auto& f : Fields()) {
    if (!form.Has(f.key)) continue;
    std::string value(Trim(form.Get(f.key)));
    if (auto ok = sync::SetSetting(&probe, f.key, value); !ok.ok()) {
      return ShowPage(
          call,
          {"Settings", "settings", "", "", ok.error().detail, RenderSettings(s.value(), call.csrf)},
          400);
    }
    if (AsText(probe)[f.key] != current[f.key]) changed.emplace_back(f.key, value);
  }
  if (!changed.empty()) {
    if (auto r = WriteSettingsAudited(call, changed); !r.ok()) return Failed(call, r.error());
  }
  return Redirect("settings", "settings-saved");
}

}  // namespace scim::admin
