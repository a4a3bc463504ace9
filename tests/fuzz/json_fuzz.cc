// libFuzzer target: ParseJson on arbitrary bytes. A value that parses must
// re-parse from its ToJson form to an equal value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/scim/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = scim::ParseJson(text);
  if (!parsed.ok()) {
    if (parsed.error().status != 400 || parsed.error().type != scim::ScimType::kInvalidSyntax) {
      std::abort();
    }
    return 0;
  }
  std::string written = scim::ToJson(parsed.value());
  auto again = scim::ParseJson(written);
  if (!again.ok() || !(again.value() == parsed.value())) std::abort();
  return 0;
}
