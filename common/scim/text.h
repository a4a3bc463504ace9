// Small text helpers shared by the core, the adapters and the front-ends:
// ASCII case-insensitive equality, trimming, comma-separated lists and
// RFC 3339 date-times. Pure: no I/O, no locale.
#ifndef SCIM_COMMON_SCIM_TEXT_H_
#define SCIM_COMMON_SCIM_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scim {

// ASCII case-insensitive equality, for attribute names, URNs, schemes.
bool EqualsCi(std::string_view a, std::string_view b);

// s with ASCII letters in lower case (server variable names, type names).
std::string LowerAscii(std::string_view s);

// s without leading and trailing blanks (space, tab, CR, LF).
std::string_view Trim(std::string_view s);

// The items of a comma-separated list, each trimmed. A blank rest ends the
// list, so a trailing comma adds nothing ("a, b," is {a, b}; "" and " " are
// {}), while an empty item inside it stays ("a,,b" is {a, "", b}) for the
// caller to refuse.
std::vector<std::string_view> SplitList(std::string_view s);

// Milliseconds since the epoch of an RFC 3339 date-time
// ("2011-05-13T04:42:34Z", "2011-05-13T04:42:34.123+02:00"), or nullopt.
std::optional<int64_t> ParseDateTime(std::string_view text);

// The same, or a date "YYYY-MM-DD" as its first instant (UTC): what the
// audit filters (scimctl audit --since, the console) take.
std::optional<int64_t> ParseDateOrTime(const std::string& text);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_TEXT_H_
